/* assert()'s failure path (assert.h), apart from exit.c so that exit does not pull in printf. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

_Noreturn void __assert_fail(const char *expr, const char *file, unsigned int line,
                             const char *function)
{
    fprintf(stderr, "%s: %s:%u: %s: Assertion `%s' failed.\n",
            program_invocation_name, file, line, function, expr);
    abort();
}
