/* assert(): on failure print "prog: file:line: function: Assertion `expr' failed." and abort. */
#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
__attribute__((__noreturn__)) void __assert_fail(const char *expr, const char *file, unsigned int line,
                             const char *function);
#define assert(expr) ((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#ifndef __cplusplus
#undef static_assert
#define static_assert _Static_assert
#endif
