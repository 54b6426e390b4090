# HOTSV_CHECK_INOTIFYTOOLS
# libinotifytools ships no pkg-config file: look for its header and its
# library directly, and stop with the Debian package name when either is
# missing.  A library built against glibc (Debian's libinotifytools.a)
# calls glibc's _FORTIFY_SOURCE entry points (__fprintf_chk...); with
# another C library (CC=musl-gcc, for small static programs) it links
# once src/lib/glibc-fortify.c supplies them, on 64-bit Linux, where the two
# share the ABI of everything else it uses.  Sets INOTIFYTOOLS_LIBS,
# hotsv_fortify (yes when the supplement is needed) and the GLIBC_FORTIFY
# conditional.
AC_DEFUN([HOTSV_CHECK_INOTIFYTOOLS], [
	AC_CHECK_HEADER([inotifytools/inotifytools.h], [],
		[AC_MSG_ERROR([libinotifytools header not found: apt-get install libinotifytools0-dev])])
	hotsv_save_LIBS="$LIBS"
	hotsv_fortify=no
	AC_CHECK_LIB([inotifytools], [inotifytools_initialize],
		[INOTIFYTOOLS_LIBS=-linotifytools], [
		hotsv_save_CPPFLAGS="$CPPFLAGS"
		CPPFLAGS="$CPPFLAGS -I$srcdir/src"
		LIBS="-linotifytools $LIBS"
		AC_MSG_CHECKING([whether libinotifytools links with glibc's fortify functions supplied])
		AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <inotifytools/inotifytools.h>
#include "lib/glibc-fortify.c"
typedef char hotsv_needs_lp64[sizeof(long) == 8 ? 1 : -1];
]], [[return !inotifytools_initialize();]])],
			[AC_MSG_RESULT([yes])
			 INOTIFYTOOLS_LIBS=-linotifytools
			 hotsv_fortify=yes],
			[AC_MSG_RESULT([no])
			 AC_MSG_ERROR([libinotifytools library not found: apt-get install libinotifytools0-dev])])
		CPPFLAGS="$hotsv_save_CPPFLAGS"
	])
	LIBS="$hotsv_save_LIBS"
	AM_CONDITIONAL([GLIBC_FORTIFY], [test "x$hotsv_fortify" = xyes])
	AC_SUBST([INOTIFYTOOLS_LIBS])
])
