/*
 * The initrd: a POSIX tar archive (ustar, made by `tar --format=ustar`),
 * read in place.  Each 512-byte header gives a name (prefix + name), an
 * octal size and a type; the file's bytes follow, padded to 512.  Two zero
 * blocks end the archive.  Every field is checked against the archive's
 * bounds: a damaged initrd loses files, it does not crash the kernel.
 */
#include <kernel/fs.h>
#include <kernel/printk.h>
#include <lib/string.h>

#define TAR_BLOCK       512
#define TAR_TYPE_FILE   '0'
#define TAR_TYPE_OLD_FILE '\0'
#define TAR_TYPE_LINK   '1'     /* a hard link: another name for the file named in linkname */
#define TAR_TYPE_DIR    '5'

struct tar_header {
    char name[100];
    char mode[8], uid[8], gid[8];
    char size[12];
    char mtime[12];
    char checksum[8];
    char type;
    char linkname[100];
    char magic[6];              /* "ustar\0" */
    char version[2];
    char uname[32], gname[32];
    char devmajor[8], devminor[8];
    char prefix[155];
    char pad[12];
};

_Static_assert(sizeof(struct tar_header) == TAR_BLOCK, "tar header is one block");

static bool parse_octal(const char *field, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    while (i < len && field[i] == ' ')
        i++;
    for (; i < len && field[i] >= '0' && field[i] <= '7'; i++)
        v = v * 8 + (uint64_t)(field[i] - '0');
    if (i < len && field[i] != '\0' && field[i] != ' ')
        return false;
    *out = v;
    return true;
}

/* "prefix/name" (each field possibly unterminated), without a leading "./". */
static void full_name(const struct tar_header *h, char *out, size_t size)
{
    size_t plen = strnlen(h->prefix, sizeof h->prefix), nlen = strnlen(h->name, sizeof h->name);
    size_t n = 0;
    if (plen && plen + 1 < size) {
        memcpy(out, h->prefix, plen);
        out[plen] = '/';
        n = plen + 1;
    }
    if (n + nlen >= size)
        nlen = size - n - 1;
    memcpy(out + n, h->name, nlen);
    out[n + nlen] = '\0';
    if (out[0] == '.' && out[1] == '/')
        memmove(out, out + 2, strlen(out + 2) + 1);
}

int initrd_load(const uint8_t *start, const uint8_t *end)
{
    int files = 0;
    const uint8_t *p = start;
    char name[sizeof ((struct tar_header *)0)->prefix + sizeof ((struct tar_header *)0)->name + 2];
    while (p + TAR_BLOCK <= end) {
        const struct tar_header *h = (const void *)p;
        uint64_t size;
        if (h->name[0] == '\0')
            break;                              /* the end-of-archive blocks */
        if (memcmp(h->magic, "ustar", 5) != 0 || !parse_octal(h->size, sizeof h->size, &size) ||
            size > (uint64_t)(end - p) - TAR_BLOCK) {
            kprintf("initrd: damaged header at offset %lu; stopping\n", (uint64_t)(p - start));
            break;
        }
        full_name(h, name, sizeof name);
        const uint8_t *data = p + TAR_BLOCK;
        uint64_t mode;
        if (!parse_octal(h->mode, sizeof h->mode, &mode))
            mode = MODE_BITS;
        if (h->type == TAR_TYPE_FILE || h->type == TAR_TYPE_OLD_FILE) {
            if (fs_add_file(name, data, size, (unsigned)mode))
                files++;
            else
                kprintf("initrd: cannot add %s\n", name);
        } else if (h->type == TAR_TYPE_DIR && name[0]) {
            fs_add_dir(name);
        } else if (h->type == TAR_TYPE_LINK) {
            char target[sizeof h->linkname + 1];
            memcpy(target, h->linkname, sizeof h->linkname);
            target[sizeof h->linkname] = '\0';
            if (!fs_add_link(name, target))
                kprintf("initrd: cannot link %s to %s\n", name, target);
        }
        p = data + ((size + TAR_BLOCK - 1) / TAR_BLOCK) * TAR_BLOCK;
    }
    return files;
}
