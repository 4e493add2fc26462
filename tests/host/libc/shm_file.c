/*
 * Files as shared memory on the Linux host: the cases of
 * tests/user/shm_file_cases.h with our libc on Linux's kernel, the
 * reference our kernel (tests/user/test_filemap.c) must match.
 */
#include <stdio.h>
#include "../check.h"
#include "../../user/shm_file_cases.h"

int main(void)
{
    RUN(sf_shared_mapping_is_the_file);
    RUN(sf_private_mapping_copies);
    RUN(sf_ftruncate);
    RUN(sf_sigbus_past_the_end);
    RUN(sf_mapping_errors);
    RUN(sf_link);
    RUN(sf_shm_open);
    RUN(sf_named_semaphores);
    return failures != 0;
}
