# HOTSV_WARNING_FLAGS
# Turn on every warning the compiler understands from our list.
AC_DEFUN([HOTSV_WARNING_FLAGS], [
	HOTSV_CFLAGS=""
	for hotsv_flag in -Wall -Wextra -Wshadow -Wformat=2 \
	    -Wmissing-prototypes -Wstrict-prototypes -Wpointer-arith \
	    -Wcast-qual -Wwrite-strings -Wundef -Wvla -Wno-unused-parameter; do
		HOTSV_TRY_CFLAG([$hotsv_flag],
			[HOTSV_CFLAGS="$HOTSV_CFLAGS $hotsv_flag"])
	done
	AC_SUBST([HOTSV_CFLAGS])
])

# HOTSV_TRY_CFLAG(FLAG, ACTION-IF-OK, [ACTION-IF-NOT])
AC_DEFUN([HOTSV_TRY_CFLAG], [
	hotsv_save_CFLAGS="$CFLAGS"
	CFLAGS="$CFLAGS -Werror $1"
	AC_MSG_CHECKING([whether $CC accepts $1])
	AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])],
		[AC_MSG_RESULT([yes]); $2], [AC_MSG_RESULT([no]); $3])
	CFLAGS="$hotsv_save_CFLAGS"
])

# HOTSV_ARG_WERROR
# --enable-werror: warnings become errors (CI turns it on).
AC_DEFUN([HOTSV_ARG_WERROR], [
	AC_ARG_ENABLE([werror],
		[AS_HELP_STRING([--enable-werror], [treat warnings as errors])],
		[], [enable_werror=no])
	AS_IF([test "x$enable_werror" = xyes],
		[HOTSV_CFLAGS="$HOTSV_CFLAGS -Werror"])
])

# HOTSV_ARG_SANITIZERS
# --enable-sanitizers: build with AddressSanitizer and UBSan.
AC_DEFUN([HOTSV_ARG_SANITIZERS], [
	AC_ARG_ENABLE([sanitizers],
		[AS_HELP_STRING([--enable-sanitizers],
			[build with AddressSanitizer and UndefinedBehaviorSanitizer])],
		[], [enable_sanitizers=no])
	AS_IF([test "x$enable_sanitizers" = xyes], [
		hotsv_san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
		HOTSV_TRY_CFLAG([$hotsv_san],
			[HOTSV_CFLAGS="$HOTSV_CFLAGS $hotsv_san"
			 HOTSV_LDFLAGS="$HOTSV_LDFLAGS $hotsv_san"],
			[AC_MSG_ERROR([$CC cannot build with sanitizers])])
	])
	AC_SUBST([HOTSV_LDFLAGS])
])

# HOTSV_ARG_STATIC_BINARIES
# --enable-static-binaries: link every program fully statically, so that
# "make dist-static" can pack them for FROM scratch, busybox or alpine
# images (no libc, no libinotifytools.so there).  glibc links statically
# as long as nothing calls into NSS (getpwnam, getaddrinfo...), which
# would dlopen at run time; configure checks the link works with
# libinotifytools.a.  Substitutes HOTSV_STATIC_BINARIES (yes or no) and
# HOTSV_STATIC_ARCH, the CPU the compiler builds for (from its triplet,
# so a cross compiler names its target; no config.guess needed), for the
# tarball's name.
AC_DEFUN([HOTSV_ARG_STATIC_BINARIES], [
	AC_ARG_ENABLE([static-binaries],
		[AS_HELP_STRING([--enable-static-binaries],
			[link the programs statically (for make dist-static)])],
		[], [enable_static_binaries=no])
	AS_IF([test "x$enable_static_binaries" = xyes], [
		AS_IF([test "x$enable_sanitizers" = xyes],
			[AC_MSG_ERROR([--enable-static-binaries and --enable-sanitizers do not mix: the sanitizers' runtimes are shared libraries])])
		hotsv_save_LDFLAGS="$LDFLAGS"
		hotsv_save_LIBS="$LIBS"
		hotsv_save_CPPFLAGS="$CPPFLAGS"
		LDFLAGS="$LDFLAGS $HOTSV_LDFLAGS -static"
		LIBS="$INOTIFYTOOLS_LIBS $LIBS"
		AS_IF([test "x$hotsv_fortify" = xyes],
			[CPPFLAGS="$CPPFLAGS -I$srcdir/src -DHOTSV_GLIBC_FORTIFY"])
		AC_MSG_CHECKING([whether programs link statically with libinotifytools])
		AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <inotifytools/inotifytools.h>
#ifdef HOTSV_GLIBC_FORTIFY
#include "lib/glibc-fortify.c"
#endif
]], [[return !inotifytools_initialize();]])],
			[AC_MSG_RESULT([yes])],
			[AC_MSG_RESULT([no])
			 AC_MSG_ERROR([cannot link statically: a static libc (Debian libc6-dev, or musl-dev with CC=musl-gcc) and libinotifytools.a (libinotifytools0-dev) are needed])])
		LDFLAGS="$hotsv_save_LDFLAGS"
		LIBS="$hotsv_save_LIBS"
		CPPFLAGS="$hotsv_save_CPPFLAGS"
		HOTSV_LDFLAGS="$HOTSV_LDFLAGS -static"
	])
	AC_SUBST([HOTSV_LDFLAGS])
	AC_SUBST([HOTSV_STATIC_BINARIES], [$enable_static_binaries])
	AC_MSG_CHECKING([the CPU the programs are built for])
	hotsv_static_arch=`$CC -dumpmachine 2>/dev/null | sed 's/-.*//'`
	AS_IF([test -z "$hotsv_static_arch"],
		[hotsv_static_arch=`uname -m`])
	AC_MSG_RESULT([$hotsv_static_arch])
	AC_SUBST([HOTSV_STATIC_ARCH], [$hotsv_static_arch])
])

# HOTSV_ARG_FUZZING
# --enable-fuzzing: build the libFuzzer targets tests/fuzz_* (make fuzz).
# Needs clang with its runtime libraries (Debian: clang and
# libclang-rt-14-dev).  Every object gets coverage instrumentation,
# AddressSanitizer and UBSan (-fsanitize=fuzzer-no-link,...), so the
# programs and unit tests still link and run; only the targets link
# libFuzzer's main (HOTSV_FUZZ_LDFLAGS).  UBSan aborts, so that the
# fuzzer sees undefined behaviour as a crash.  Substitutes
# HOTSV_FUZZ_LDFLAGS; configure.ac sets the FUZZING conditional.
AC_DEFUN([HOTSV_ARG_FUZZING], [
	AC_ARG_ENABLE([fuzzing],
		[AS_HELP_STRING([--enable-fuzzing],
			[build the libFuzzer targets for make fuzz (needs CC=clang)])],
		[], [enable_fuzzing=no])
	HOTSV_FUZZ_LDFLAGS=""
	AS_IF([test "x$enable_fuzzing" = xyes], [
		AS_IF([test "x$enable_static_binaries" = xyes],
			[AC_MSG_ERROR([--enable-fuzzing and --enable-static-binaries do not mix: the sanitizers' runtimes are shared libraries])])
		hotsv_san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
		HOTSV_TRY_CFLAG([-fsanitize=fuzzer-no-link $hotsv_san],
			[HOTSV_CFLAGS="$HOTSV_CFLAGS -g -fsanitize=fuzzer-no-link $hotsv_san"
			 HOTSV_LDFLAGS="$HOTSV_LDFLAGS $hotsv_san"],
			[AC_MSG_ERROR([--enable-fuzzing needs clang and its sanitizer runtimes: configure with CC=clang (Debian: apt-get install clang libclang-rt-14-dev)])])
		hotsv_save_CFLAGS="$CFLAGS"
		CFLAGS="$CFLAGS -fsanitize=fuzzer $hotsv_san"
		AC_MSG_CHECKING([whether $CC links a libFuzzer target])
		AC_LINK_IFELSE([AC_LANG_SOURCE([[
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return size > 0 && data[0] == 'x';
}
]])],
			[AC_MSG_RESULT([yes])],
			[AC_MSG_RESULT([no])
			 AC_MSG_ERROR([$CC cannot link with -fsanitize=fuzzer: libFuzzer is missing (Debian: apt-get install libclang-rt-14-dev)])])
		CFLAGS="$hotsv_save_CFLAGS"
		HOTSV_FUZZ_LDFLAGS="-fsanitize=fuzzer"
	])
	AC_SUBST([HOTSV_LDFLAGS])
	AC_SUBST([HOTSV_FUZZ_LDFLAGS])
])

# HOTSV_ARG_STATIC_SUPERVISE
# hotsv-supervise runs once per service: linked statically, each copy
# saves the dynamic loader's private pages (about 50 KiB) and half a
# millisecond of start-up.  On by default where the C library has a
# static version (Debian: libc6-dev); off with sanitizers or fuzzing,
# whose runtimes are shared libraries.  Substitutes HOTSV_SUPERVISE_LDFLAGS.
AC_DEFUN([HOTSV_ARG_STATIC_SUPERVISE], [
	AC_ARG_ENABLE([static-supervise],
		[AS_HELP_STRING([--disable-static-supervise],
			[link hotsv-supervise dynamically (it is static by default, to save memory per service)])],
		[], [enable_static_supervise=yes])
	HOTSV_SUPERVISE_LDFLAGS=""
	AS_IF([test "x$enable_sanitizers" = xyes || test "x$enable_fuzzing" = xyes],
		[enable_static_supervise=no])
	AS_IF([test "x$enable_static_supervise" = xyes], [
		hotsv_save_LDFLAGS="$LDFLAGS"
		LDFLAGS="$LDFLAGS -static"
		AC_MSG_CHECKING([whether hotsv-supervise can be linked statically])
		AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <stdio.h>]],
			[[return puts("") < 0;]])],
			[AC_MSG_RESULT([yes]); HOTSV_SUPERVISE_LDFLAGS="-static"],
			[AC_MSG_RESULT([no, linking it dynamically])])
		LDFLAGS="$hotsv_save_LDFLAGS"
	])
	AC_SUBST([HOTSV_SUPERVISE_LDFLAGS])
])
