/*
 * Character classes and case in the C locale (ASCII): anything above 127
 * is in no class.
 */
#include <ctype.h>
#include <strings.h>

int isascii(int c) { return (unsigned)c < 128; }
int isdigit(int c) { return (unsigned)c - '0' < 10; }
int islower(int c) { return (unsigned)c - 'a' < 26; }
int isupper(int c) { return (unsigned)c - 'A' < 26; }
int isalpha(int c) { return islower(c) || isupper(c); }
int isalnum(int c) { return isalpha(c) || isdigit(c); }
int isxdigit(int c) { return isdigit(c) || (unsigned)(c | 0x20) - 'a' < 6; }
int isblank(int c) { return c == ' ' || c == '\t'; }
int isspace(int c) { return c == ' ' || (unsigned)c - '\t' < 5; }    /* \t \n \v \f \r */
int iscntrl(int c) { return (unsigned)c < 0x20 || c == 0x7f; }
int isprint(int c) { return (unsigned)c - 0x20 < 0x5f; }
int isgraph(int c) { return (unsigned)c - 0x21 < 0x5e; }
int ispunct(int c) { return isgraph(c) && !isalnum(c); }
int tolower(int c) { return isupper(c) ? c | 0x20 : c; }
int toupper(int c) { return islower(c) ? c & ~0x20 : c; }
int toascii(int c) { return c & 0x7f; }

int strncasecmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
        if (ca != cb || !ca)
            return ca - cb;
    }
    return 0;
}

int strcasecmp(const char *a, const char *b)
{
    return strncasecmp(a, b, (size_t)-1);
}
