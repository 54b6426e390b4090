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
