# HOTSV_CHECK_INOTIFYTOOLS
# libinotifytools ships no pkg-config file: look for its header and its
# library directly, and stop with the Debian package name when either is
# missing.  Sets INOTIFYTOOLS_LIBS.
AC_DEFUN([HOTSV_CHECK_INOTIFYTOOLS], [
	AC_CHECK_HEADER([inotifytools/inotifytools.h], [],
		[AC_MSG_ERROR([libinotifytools header not found: apt-get install libinotifytools0-dev])])
	hotsv_save_LIBS="$LIBS"
	AC_CHECK_LIB([inotifytools], [inotifytools_initialize],
		[INOTIFYTOOLS_LIBS=-linotifytools],
		[AC_MSG_ERROR([libinotifytools library not found: apt-get install libinotifytools0-dev])])
	LIBS="$hotsv_save_LIBS"
	AC_SUBST([INOTIFYTOOLS_LIBS])
])
