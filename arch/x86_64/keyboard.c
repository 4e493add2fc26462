/*
 * The PS/2 keyboard (the i8042 controller, IRQ 1): the console's input on a
 * machine's own screen, next to the serial line.  A PC's USB keyboard
 * reaches us here too when the firmware emulates PS/2 for it, as most do.
 *
 * The controller translates the keyboard's codes to scan code set 1, as
 * the firmware leaves it: one byte per key press (make code), the same
 * with the high bit for a release (break code), 0xe0 before the keys a
 * later keyboard added (the arrows, the right Ctrl).  We keep track of
 * Shift, Ctrl and Caps Lock, map a US layout, and turn the arrows into the
 * escape sequences a terminal sends (ESC [ A ...), which the shells' line
 * editing knows.
 */
#include <stddef.h>
#include <stdint.h>
#include "keyboard.h"
#include "x86.h"

#define KBD_DATA            0x60
#define KBD_STATUS          0x64    /* read */
#define KBD_COMMAND         0x64    /* write */
#define STATUS_OUTPUT_FULL  0x01    /* a byte waits in KBD_DATA */
#define STATUS_INPUT_FULL   0x02    /* the controller has not taken our last byte */
#define STATUS_FROM_MOUSE   0x20    /* the waiting byte is the mouse's */
#define STATUS_NO_CONTROLLER 0xff   /* what reading a port with nothing behind it gives */
#define CMD_READ_CONFIG     0x20
#define CMD_WRITE_CONFIG    0x60
#define CONFIG_KBD_IRQ      0x01    /* interrupt on IRQ 1 when a key's byte arrives */
#define CONFIG_KBD_NO_CLOCK 0x10    /* the keyboard is disabled */
#define CONFIG_TRANSLATE    0x40    /* scan code set 1, whatever the keyboard speaks */
#define CONTROLLER_WAIT     100000  /* status polls before we give up on the controller */

#define SC_EXTENDED         0xe0
#define SC_RELEASE          0x80
#define SC_LEFT_SHIFT       0x2a
#define SC_RIGHT_SHIFT      0x36
#define SC_CTRL             0x1d    /* left; with SC_EXTENDED before it, right */
#define SC_CAPS_LOCK        0x3a
#define SC_UP               0x48    /* after SC_EXTENDED */
#define SC_LEFT             0x4b
#define SC_RIGHT            0x4d
#define SC_DOWN             0x50
#define CTRL_MASK           0x1f    /* Ctrl-A is 1 ... Ctrl-Z is 26 */
#define ESC                 '\033'

/* Scan code set 1 to characters, US layout: without and with Shift; 0 for no character. */
static const char plain[] = {
    [0x01] = ESC, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b',
    [0x0f] = '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n',
    [0x1e] = 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
    [0x2b] = '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/',
    [0x37] = '*', [0x39] = ' ',
};
static const char shifted[] = {
    [0x01] = ESC, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b',
    [0x0f] = '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n',
    [0x1e] = 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
    [0x2b] = '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?',
    [0x37] = '*', [0x39] = ' ',
};

/* The modifiers and the prefix seen: touched only by keyboard_read, from the IRQ 1 handler. */
static struct {
    bool shift_left, shift_right, ctrl_left, ctrl_right, caps_lock, extended;
} state;

static bool wait_status(uint8_t bit, bool set)
{
    for (int i = 0; i < CONTROLLER_WAIT; i++)
        if (!!(inb(KBD_STATUS) & bit) == set)
            return true;
    return false;
}

static bool send_command(uint8_t command)
{
    if (!wait_status(STATUS_INPUT_FULL, false))
        return false;
    outb(KBD_COMMAND, command);
    return true;
}

bool keyboard_init(void)
{
    if (inb(KBD_STATUS) == STATUS_NO_CONTROLLER)
        return false;
    while (inb(KBD_STATUS) & STATUS_OUTPUT_FULL)    /* what was typed before we listened */
        inb(KBD_DATA);
    /* UEFI firmware may leave the keyboard's interrupt off: turn it (and set 1) on. */
    if (!send_command(CMD_READ_CONFIG) || !wait_status(STATUS_OUTPUT_FULL, true))
        return false;
    uint8_t config = inb(KBD_DATA);
    config = (uint8_t)((config | CONFIG_KBD_IRQ | CONFIG_TRANSLATE) & ~CONFIG_KBD_NO_CLOCK);
    if (!send_command(CMD_WRITE_CONFIG) || !wait_status(STATUS_INPUT_FULL, false))
        return false;
    outb(KBD_DATA, config);
    return true;
}

static void put_string(void (*put)(char c), const char *s)
{
    while (*s)
        put(*s++);
}

/* A key of the 0xe0 group: the arrows as a terminal sends them, the right Ctrl. */
static void extended_key(uint8_t code, bool released, void (*put)(char c))
{
    if (code == SC_CTRL) {
        state.ctrl_right = !released;
        return;
    }
    if (released)
        return;
    switch (code) {
    case SC_UP:    put_string(put, "\033[A"); break;
    case SC_DOWN:  put_string(put, "\033[B"); break;
    case SC_RIGHT: put_string(put, "\033[C"); break;
    case SC_LEFT:  put_string(put, "\033[D"); break;
    default: break;
    }
}

static void key(uint8_t scancode, void (*put)(char c))
{
    bool released = scancode & SC_RELEASE;
    uint8_t code = scancode & ~SC_RELEASE;
    if (state.extended) {
        state.extended = false;
        extended_key(code, released, put);
        return;
    }
    switch (code) {
    case SC_LEFT_SHIFT:  state.shift_left = !released; return;
    case SC_RIGHT_SHIFT: state.shift_right = !released; return;
    case SC_CTRL:        state.ctrl_left = !released; return;
    case SC_CAPS_LOCK:   if (!released) state.caps_lock = !state.caps_lock; return;
    }
    if (released || code >= sizeof plain)
        return;
    bool shift = state.shift_left || state.shift_right;
    char c = shift ? shifted[code] : plain[code];
    if (state.caps_lock && c >= 'a' && c <= 'z')
        c = shifted[code];
    else if (state.caps_lock && c >= 'A' && c <= 'Z')
        c = plain[code];
    if (c && (state.ctrl_left || state.ctrl_right))
        c &= CTRL_MASK;
    if (c)
        put(c);
}

void keyboard_read(void (*put)(char c))
{
    uint8_t status;
    while ((status = inb(KBD_STATUS)) & STATUS_OUTPUT_FULL) {
        uint8_t byte = inb(KBD_DATA);
        if (status & STATUS_FROM_MOUSE)
            continue;
        if (byte == SC_EXTENDED)
            state.extended = true;
        else
            key(byte, put);
    }
}
