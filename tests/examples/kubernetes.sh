#!/bin/sh
# examples/kubernetes without Kubernetes: the ConfigMap volume of
# deployment.yaml is laid out from configmap.yaml exactly as the kubelet
# does it (a timestamped directory, a ..data symlink renamed into place,
# NAME -> ..data/NAME, each item at its path with its mode) and mounted
# read-only; the container's command, taken from deployment.yaml, runs
# hotsv-scan as PID 1 of a PID namespace on it, with its state in $WORK.
# Every service runs, app is ready before reporter starts, both probes
# (hotsv check) pass, the grace time fits terminationGracePeriodSeconds.
# Then the kubelet's update: a new timestamped directory in which app/run
# changed and reporter's files did not, ..data_tmp renamed over ..data,
# the old directory removed: exactly app restarts (a new pid, ready
# again), reporter keeps its pid and supervisor.  SIGTERM (pod deletion)
# fails the readiness probe at once while app runs on (--term-delay), then
# stops everything without SIGKILL, exit 0, no sooner than the delay.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
need_python
enter_namespace "$@"
make_workdir

EX=$HOTSV_SRCDIR/examples/kubernetes
POD=$WORK/pod
mkdir "$POD"

# The YAML files are read by this parser, so that they cannot drift
# from what is tested: it writes the volume's items into a directory,
# with their modes, and what the pod runs into $POD.
cat >"$WORK/extract.py" <<'PYTHON'
# Lay out the ConfigMap volume of deployment.yaml as the kubelet does,
# from configmap.yaml, and say what the pod runs.  A parser for the YAML
# these files use (no PyYAML): block mappings and sequences, "|" and
# "|-" blocks, plain, quoted and JSON-array scalars, comments, "---".
#   extract.py CONFIGMAP DEPLOYMENT PAYLOAD OUT
# writes each item into PAYLOAD with its mode, and into OUT: command,
# readiness, liveness (one argument a line), grace, services_mount,
# state_mount.
import json, os, re, sys

def fail(msg):
    sys.exit("extract: " + msg)

class Lines:
    def __init__(self, text, name):
        self.raw = text.split("\n")
        self.name = name
        self.i = 0
        self.over = {}          # line number -> (indent, text) rewritten

    def where(self):
        return "%s:%d" % (self.name, self.i + 1)

    def peek(self):
        """The next line that means something, as (indent, text), or None."""
        while self.i < len(self.raw):
            if self.i in self.over:
                return self.over[self.i]
            line = self.raw[self.i]
            text = strip_comment(line).rstrip()
            if text.strip():
                if "\t" in line[:len(line) - len(line.lstrip())]:
                    fail(self.where() + ": tab in indentation")
                return len(text) - len(text.lstrip()), text.strip()
            self.i += 1
        return None

def strip_comment(line):
    quote = None
    for n, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'" and (n == 0 or line[n - 1] in " :[,-"):
            quote = c
        elif c == "#" and (n == 0 or line[n - 1] in " \t"):
            return line[:n]
    return line

def scalar(text, where):
    if text.startswith("["):
        try:
            return json.loads(text)
        except ValueError:
            fail(where + ": not a JSON array: " + text)
    if text.startswith("{") or text.startswith("&") or text.startswith("*"):
        fail(where + ": not understood here: " + text)
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if re.fullmatch(r"0[0-7]+", text):
        return int(text, 8)             # YAML 1.1 octal, as in mode: 0755
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    return {"true": True, "false": False, "null": None}.get(text, text)

def block_scalar(lines, parent, style):
    keep = style.endswith("-")
    body, start = [], None
    lines.i += 1
    while lines.i < len(lines.raw):
        line = lines.raw[lines.i]
        if line.strip():
            ind = len(line) - len(line.lstrip(" "))
            if ind <= parent:
                break
            if start is None:
                start = ind
            if ind < start:
                fail(lines.where() + ": block less indented than its first line")
            body.append(line[start:])
        else:
            body.append("")
        lines.i += 1
    while body and body[-1] == "":
        body.pop()
    return "\n".join(body) + ("" if keep else "\n")

def node(lines, indent):
    nxt = lines.peek()
    if nxt is None or nxt[0] < indent:
        return None
    if nxt[1] == "-" or nxt[1].startswith("- "):
        return sequence(lines, nxt[0])
    return mapping(lines, nxt[0])

def value(lines, ind, rest):
    """The value after "key:" or "-" on a line of indentation ind."""
    if rest in ("|", "|-"):
        return block_scalar(lines, ind, rest)
    if rest:
        v = scalar(rest, lines.where())
        lines.i += 1
        return v
    lines.i += 1
    nxt = lines.peek()
    if nxt and nxt[0] == ind and nxt[1].startswith("- "):
        return sequence(lines, ind)     # a sequence at the key's indent
    return node(lines, ind + 1)

def mapping(lines, ind):
    out = {}
    while True:
        nxt = lines.peek()
        if nxt is None or nxt[0] < ind:
            return out
        if nxt[0] > ind:
            fail(lines.where() + ": bad indentation")
        if nxt[1].startswith("- "):
            return out
        m = re.fullmatch(r"([^\s\"'{}\[\]#:][^:]*?):(?:\s+(.*))?", nxt[1])
        if not m:
            fail(lines.where() + ": not a 'key: value' line: " + nxt[1])
        lines.over.pop(lines.i, None)
        if m.group(1) in out:
            fail(lines.where() + ": duplicate key " + m.group(1))
        out[m.group(1)] = value(lines, ind, (m.group(2) or "").strip())

def sequence(lines, ind):
    out = []
    while True:
        nxt = lines.peek()
        if nxt is None or nxt[0] != ind or not (nxt[1] == "-" or nxt[1].startswith("- ")):
            if nxt and nxt[0] > ind:
                fail(lines.where() + ": bad indentation")
            return out
        rest = nxt[1][1:].strip()
        if re.match(r"[^\s\"'{}\[\]#:][^:]*?:(\s|$)", rest):
            # "- key: value": a mapping whose keys line up with "key".
            key_ind = ind + len(nxt[1]) - len(rest)
            lines.over[lines.i] = (key_ind, rest)
            out.append(mapping(lines, key_ind))
        else:
            lines.over.pop(lines.i, None)
            out.append(value(lines, ind, rest))

def documents(path):
    with open(path) as f:
        text = f.read()
    docs = []
    for n, part in enumerate(re.split(r"(?m)^---\s*$", text)):
        lines = Lines(part, path)
        doc = node(lines, 0)
        if lines.peek() is not None:
            fail(lines.where() + ": not understood: " + lines.peek()[1])
        if doc is not None:
            docs.append(doc)
    return docs

def one(path, kind):
    found = [d for d in documents(path) if isinstance(d, dict) and d.get("kind") == kind]
    if len(found) != 1:
        fail("%s: %d documents of kind %s, not 1" % (path, len(found), kind))
    return found[0]

def get(obj, *keys):
    for k in keys:
        try:
            obj = obj[k]
        except (KeyError, IndexError, TypeError):
            fail("no %s in %r" % ("/".join(map(str, keys)), obj)[:300])
    return obj

def main():
    cm_path, deploy_path, payload, out = sys.argv[1:5]
    cm = one(cm_path, "ConfigMap")
    data = get(cm, "data")
    pod = get(one(deploy_path, "Deployment"), "spec", "template", "spec")
    containers = get(pod, "containers")
    if len(containers) != 1:
        fail("expected one container, not %d" % len(containers))
    ctr = containers[0]
    volumes = [v for v in get(pod, "volumes")
               if "configMap" in v and v["configMap"].get("name") == get(cm, "metadata", "name")]
    if len(volumes) != 1:
        fail("expected one volume of ConfigMap %s" % cm["metadata"]["name"])
    vol = volumes[0]
    mounts = {m["name"]: m["mountPath"] for m in get(ctr, "volumeMounts")}
    states = [v["name"] for v in get(pod, "volumes") if "emptyDir" in v]
    if len(states) != 1 or states[0] not in mounts:
        fail("expected one emptyDir volume, mounted")
    default_mode = vol["configMap"].get("defaultMode", 0o644)
    used = set()
    for item in get(vol, "configMap", "items"):
        key, path = get(item, "key"), get(item, "path")
        if key not in data:
            fail("item %s: no such key in %s" % (key, cm_path))
        if path.startswith("/") or ".." in path.split("/"):
            fail("item %s: bad path %s" % (key, path))
        used.add(key)
        dest = os.path.join(payload, path)
        os.makedirs(os.path.dirname(dest), mode=0o755, exist_ok=True)
        with open(dest, "w") as f:
            f.write(data[key])
        os.chmod(dest, item.get("mode", default_mode))
    unused = set(data) - used
    if unused:
        fail("keys of %s in no item: %s" % (cm_path, " ".join(sorted(unused))))
    def args(name, lst):
        if not isinstance(lst, list) or not all(isinstance(a, str) for a in lst):
            fail("%s is not a list of strings" % name)
        with open(os.path.join(out, name), "w") as f:
            f.write("".join(a + "\n" for a in lst))
    args("command", get(ctr, "command"))
    args("readiness", get(ctr, "readinessProbe", "exec", "command"))
    args("liveness", get(ctr, "livenessProbe", "exec", "command"))
    for name, val in (("grace", get(pod, "terminationGracePeriodSeconds")),
                      ("services_mount", mounts[vol["name"]]),
                      ("state_mount", mounts[states[0]])):
        with open(os.path.join(out, name), "w") as f:
            f.write("%s\n" % val)

main()
PYTHON

# kubelet_write: write the volume's content into a new timestamped
# directory of $HOST, as the kubelet does; sets TS to its name.
kubelet_write() {
	TS=$(date -u +..%Y_%m_%d_%H_%M_%S.%N)
	mkdir -m 0755 "$HOST/$TS" || fail "cannot create $HOST/$TS"
	"$PYTHON" "$WORK/extract.py" "$EX/configmap.yaml" \
		"$EX/deployment.yaml" "$HOST/$TS" "$POD" ||
		fail "cannot lay out the volume from $EX/*.yaml"
}

# kubelet_publish: make $TS the volume's content, as the kubelet does:
# ..data_tmp -> TS renamed over ..data, a NAME -> ..data/NAME link for
# each new top-level NAME, and the previous directory removed.
kubelet_publish() {
	_old=$(readlink "$HOST/..data")
	ln -s "$TS" "$HOST/..data_tmp" &&
		mv -T "$HOST/..data_tmp" "$HOST/..data" ||
		fail "cannot rename ..data_tmp over ..data"
	for _path in "$HOST/$TS"/*; do
		_name=${_path##*/}
		[ -L "$HOST/$_name" ] || ln -s "..data/$_name" "$HOST/$_name"
	done
	[ -z "$_old" ] || rm -rf "${HOST:?}/$_old"
}

# run_probe NAME: run the probe command $POD/NAME (one argument a line).
run_probe() {
	_probe=$POD/$1
	set --
	while read -r _arg; do
		set -- "$@" "$_arg"
	done <"$_probe"
	"$@"
}

# probe NAME: the probe command $POD/NAME passes (exit 0).
probe() {
	expect_exit 0 "the $1 probe ($(tr '\n' ' ' <"$POD/$1"))" run_probe "$1"
}

# probe_fails NAME: the probe command $POD/NAME exits non-zero.
probe_fails() {
	! run_probe "$1" >/dev/null 2>&1
}

say "the volume, laid out and mounted read-only as the kubelet does"
HOST=$WORK/kubelet/volume
mkdir -p "$HOST"
kubelet_write
kubelet_publish
use_scandir "$WORK/service"
STATEDIR=$WORK/state
bind_readonly "$SCANDIR" "$HOST"
[ "$(stat -c %a "$SCANDIR/app/run")" = 755 ] &&
	[ "$(stat -c %a "$SCANDIR/app/notification-fd")" = 644 ] ||
	fail "the items' modes are not 0755 for run, 0644 for the others: $(ls -lL "$SCANDIR/app")"
[ "$(readlink "$SCANDIR/app")" = ..data/app ] ||
	fail "$SCANDIR/app is not a link to ..data/app"
! touch "$SCANDIR/app/x" 2>/dev/null || fail "the volume is not read-only"

say "the pod's command, probes and grace time"
services_mount=$(cat "$POD/services_mount")
state_mount=$(cat "$POD/state_mount")
# The probes run "hotsv check" without options: the default directories
# must be the pod's.
hotsv -h >"$WORK/help"
grep -q "scandir.*else $services_mount)" "$WORK/help" ||
	fail "the volume is mounted at $services_mount, not hotsv's default scan directory"
grep -q "statedir.*else $state_mount)" "$WORK/help" ||
	fail "the state is at $state_mount, not hotsv's default state directory"
HOTSV_STATEDIR=$STATEDIR
export HOTSV_STATEDIR
set --
grace_ms=
term_delay=0
statedir_given=
prev=
while read -r arg; do
	case $prev in
	-g | --grace) grace_ms=$arg ;;
	--term-delay) term_delay=$arg ;;
	-s | --statedir) statedir_given=$arg ;;
	esac
	prev=$arg
	case $arg in
	"$services_mount") arg=$SCANDIR ;;
	"$state_mount") arg=$STATEDIR ;;
	esac
	set -- "$@" "$arg"
done <"$POD/command"
[ "${1:-}" = hotsv-scan ] || fail "the container's command is not hotsv-scan: $*"
shift
[ "$statedir_given" = "$state_mount" ] ||
	fail "hotsv-scan's --statedir is '$statedir_given', not $state_mount"
[ -n "$grace_ms" ] || fail "the container's command sets no -g"
pod_grace=$(cat "$POD/grace")
# The longest shutdown: the term delay, the grace time, 1 s for
# supervisors, 2 + 1 s for loggers, 0.5 + 1 s for leftovers
# (hotsv-scan(8), Shutdown).
[ $((term_delay + grace_ms + 5500)) -le $((pod_grace * 1000)) ] ||
	fail "--term-delay $term_delay -g $grace_ms does not fit terminationGracePeriodSeconds: $pod_grace"

say "hotsv-scan $*"
start_init "$@"
wait_for 30 "app ready" field_is app state ready
wait_for 30 "reporter up" field_is reporter state up
expect_status_before "$STATEDIR/app" 12 "$STATEDIR/reporter" 0
[ ! -e "$HOST/$TS/app/supervise" ] || fail "supervise/ was made in the volume"
probe readiness
probe liveness
# -p: the services' lines on hotsv-scan's output (kubectl logs).
wait_lines "$WORK/scan.out" '^app: ready$' 1
wait_lines "$WORK/scan.out" '^reporter: app  *ready ' 1

say "the kubelet's update: app/run changed, reporter unchanged"
app_pid=$(status_field app pid)
reporter_pid=$(status_field reporter pid)
reporter_sup=$(supervisor_of reporter)
[ -n "$reporter_sup" ] || fail "no supervisor for reporter"
old=$TS
kubelet_write
echo '# edited: settings v2' >>"$HOST/$TS/app/run"
kubelet_publish
[ ! -e "$HOST/$old" ] || fail "the old directory $old is still there"
grep -q '^# edited' "$SCANDIR/app/run" || fail "the mount does not show the edit"

# app_replaced: app runs with a pid other than $app_pid, and is ready.
app_replaced() {
	_pid=$(status_field app pid)
	[ -n "$_pid" ] && [ "$_pid" != 0 ] && [ "$_pid" != "$app_pid" ] &&
		field_is app state ready
}
wait_for 30 "app restarted with its new run" app_replaced
wait_lines "$WORK/scan.out" '^app: stopping$' 1
wait_lines "$WORK/scan.out" '^app: starting' 2
# Once nothing is due, a restart of reporter, or another of app, would
# have begun: none has.
wait_scan_settled
expect_field reporter pid "$reporter_pid"
expect_field reporter deaths 0
[ "$(supervisor_of reporter)" = "$reporter_sup" ] ||
	fail "reporter's supervisor was replaced"
field_is app state ready || fail "app is not ready after the update"
[ "$(count_lines "$WORK/scan.out" '^app: starting')" = 2 ] ||
	fail "app did not start exactly twice: $(grep '^app:' "$WORK/scan.out")"
[ "$(count_lines "$WORK/scan.out" '^app: stopping$')" = 1 ] ||
	fail "app was not stopped exactly once: $(grep '^app:' "$WORK/scan.out")"
probe readiness
probe liveness

say "SIGTERM: the pod is deleted"
app_pid=$(status_field app pid)
signal_scanner TERM
wait_for 10 "the readiness probe to fail" probe_fails readiness
expect_field app pid "$app_pid"
init_exits 0 60
[ "$ELAPSED" -ge "$term_delay" ] ||
	fail "stopped in $ELAPSED ms, before the term delay ($term_delay ms)"
expect_no_sigkill
[ "$(count_lines "$WORK/scan.out" '^app: stopping$')" = 2 ] ||
	fail "app did not say it stopped: $(grep '^app:' "$WORK/scan.out")"
say "stopped in $ELAPSED ms"
exit 0
