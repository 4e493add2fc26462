/* Another name of <sys/statfs.h>, as glibc has it. */
#include <sys/statfs.h>
