/*
 * glibc's _FORTIFY_SOURCE entry points, for linking a library built
 * against glibc (Debian's libinotifytools.a) with another C library:
 * musl, for static programs a third the size of glibc's.  configure
 * builds this only when libinotifytools needs them and the C library
 * lacks them.  Each checks what glibc's checks, then calls the plain
 * function; a failed check aborts, as in glibc.  The library's other
 * calls and structures (stat, dirent, FILE *) have the same ABI on
 * 64-bit Linux, which configure checks for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

int __fprintf_chk(FILE *, int, const char *, ...);
int __printf_chk(int, const char *, ...);
int __sprintf_chk(char *, int, size_t, const char *, ...);
int __snprintf_chk(char *, size_t, int, size_t, const char *, ...);
int __asprintf_chk(char **, int, const char *, ...);
int __isoc99_fscanf(FILE *, const char *, ...);
void *__memcpy_chk(void *, const void *, size_t, size_t);
char *__strcat_chk(char *, const char *, size_t);
long __fdelt_chk(long);
void __longjmp_chk(jmp_buf, int) __attribute__((noreturn));

/* fprintf; flag (how strict glibc is about %n) is not needed. */
int
__fprintf_chk(FILE *stream, int flag, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)flag;
	va_start(ap, fmt);
	n = vfprintf(stream, fmt, ap);
	va_end(ap);
	return n;
}

/* printf. */
int
__printf_chk(int flag, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)flag;
	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

/* sprintf into an object of size bytes: abort rather than overflow. */
int
__sprintf_chk(char *str, int flag, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)flag;
	va_start(ap, fmt);
	n = vsnprintf(str, size, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= size)
		abort();
	return n;
}

/* snprintf, whose maxlen may not exceed the object's size. */
int
__snprintf_chk(
    char *str, size_t maxlen, int flag, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)flag;
	if (maxlen > size)
		abort();
	va_start(ap, fmt);
	n = vsnprintf(str, maxlen, fmt, ap);
	va_end(ap);
	return n;
}

/* asprintf. */
int
__asprintf_chk(char **strp, int flag, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)flag;
	va_start(ap, fmt);
	n = vasprintf(strp, fmt, ap);
	va_end(ap);
	return n;
}

/* fscanf with C99 semantics, which is the only kind other libraries have. */
int
__isoc99_fscanf(FILE *stream, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfscanf(stream, fmt, ap);
	va_end(ap);
	return n;
}

/* memcpy into an object of size bytes. */
void *
__memcpy_chk(void *dst, const void *src, size_t len, size_t size)
{
	if (len > size)
		abort();
	return memcpy(dst, src, len);
}

/* strcat into an object of size bytes. */
char *
__strcat_chk(char *dst, const char *src, size_t size)
{
	if (strlen(dst) + strlen(src) >= size)
		abort();
	return strcat(dst, src);
}

/* The word of an fd_set that holds fd (FD_SET and friends). */
long
__fdelt_chk(long fd)
{
	if (fd < 0 || fd >= FD_SETSIZE)
		abort();
	return fd / (long)(8 * sizeof(long));
}

/* longjmp. */
void
__longjmp_chk(jmp_buf env, int val)
{
	longjmp(env, val);
}
