/*
 * loadgen: a WebSocket (RFC 6455) client load generator for Duplex's server benchmarks.
 *
 * Theory of operation. One thread runs one epoll loop over non-blocking TCP sockets (level-triggered;
 * EPOLLOUT only while a write is pending). Every connection is a small state machine:
 *
 *   QUEUED -> CONNECTING -> HANDSHAKE -> OPEN -> (CLOSED | FAILED)
 *      ^          |             |
 *      +-- RETRY <+-------------+   (refused, EAGAIN, timed out: bounded number of retries)
 *
 * Connections are started from a FIFO queue, at most --batch of them in CONNECTING/HANDSHAKE at once, so
 * the server's accept backlog is not flooded. A connection reads the 101 response into its own small
 * buffer, checks Sec-WebSocket-Accept with our own SHA-1 and base64, and feeds any bytes behind the head
 * to a streaming frame parser that keeps its place across reads (a header can be split anywhere, and a
 * read can hold many frames).
 *
 * echo mode keeps --inflight messages outstanding per connection: each echo received is checked
 * (opcode and length), its round trip recorded in a log-linear histogram, and one more message is
 * queued; queued messages are appended to the connection's output buffer and written with one send()
 * per read batch. Client frames must be masked (RFC 6455 5.3): they are built once at start, with a few
 * random masking keys used in rotation, so the hot path only copies bytes. Echoes come back in order on
 * a connection (TCP, one server handler), so each connection keeps a ring of send times.
 * The run is --warmup seconds (not counted) then --duration seconds (measured); with --server-pid the
 * server's CPU time (utime+stime from /proc/PID/stat, clock ticks) is sampled at exactly the two edges
 * of the measured window, and so is ours.
 *
 * latency mode is open loop: messages leave on a fixed schedule, message k at t0 + k / --rate on
 * connection (k / --burst) mod --connections, whatever the echoes are doing, and each round trip is measured from
 * the message's SCHEDULED send time, so a server that stalls is charged for every message that should
 * have gone out meanwhile (no coordinated omission). Between due sends the loop sleeps in epoll_pwait2
 * (nanosecond timeout, 1 us timer slack) until the next is due, but at least --tick-us, so at high
 * rates sends leave in small batches. How late they actually left (send lag) is reported too: it is
 * the generator's own share of the latency. --burst B (default 1) gives B consecutive messages to one
 * connection: each still has its own scheduled time, but those due in the same tick leave in one send.
 * On loopback every send and receive costs a system call of a few microseconds on each side, so at
 * 1 message per send one generator core tops out near 100k msgs/s; bursts let it hold higher rates
 * (the server then also reads and writes several messages per call, as it does under echo load).
 *
 * broadcast mode opens one publisher and --connections subscribers on a broadcast endpoint that sends
 * every message to every socket on it, the publisher included. The publisher keeps --inflight messages
 * outstanding (one is done when its own copy comes back), or with --rate publishes on a fixed schedule.
 * Each payload starts with its send time (16 hex digits of CLOCK_MONOTONIC ns; the scheduled time with
 * --rate): every delivery's latency is its receive time minus that stamp.
 *
 * idle mode opens --connections upgraded connections, each bound to the next --sources address in turn
 * (IP_BIND_ADDRESS_NO_PORT lets the kernel pick the port at connect() from the whole 4-tuple space),
 * prints one JSON "ready" line, holds them for --hold seconds (or until stdin reaches EOF, or SIGINT or
 * SIGTERM), answers pings, then sends close frames and closes them.
 *
 * Output is one JSON object per line on stdout; diagnostics go to stderr. Only loopback destinations and
 * sources are accepted. Build: gcc -O2 -Wall -Wextra -Werror -o loadgen loadgen.c (no libraries).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define MAX_SOURCES 64
#define HS_MAX 4096          /* largest 101 response head we accept */
#define READ_BUF (256 * 1024)
#define MASK_VARIANTS 16

/* ------------------------------------------------------------------------------------------------ */
/* Small utilities                                                                                   */
/* ------------------------------------------------------------------------------------------------ */

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("loadgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void fill_random(void *buf, size_t len) {
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("getrandom failed: %s", strerror(errno));
        }
        p += n;
        len -= (size_t)n;
    }
}

/* utime+stime of a process in clock ticks, from /proc/PID/stat (fields 14 and 15); -1 if unreadable. */
static long long proc_cpu_ticks(const char *pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    /* The command name (field 2) may hold spaces and parentheses: count fields after the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    p++;
    long long utime = -1, stime = -1;
    for (int field = 3; field <= 15; field++) {
        while (*p == ' ') p++;
        if (!*p) return -1;
        if (field == 14) utime = strtoll(p, NULL, 10);
        if (field == 15) stime = strtoll(p, NULL, 10);
        while (*p && *p != ' ') p++;
    }
    return utime < 0 || stime < 0 ? -1 : utime + stime;
}

/* Time the process's threads spent runnable but waiting for a CPU, in ns: the sum of the second field of
 * /proc/PID/task/TID/schedstat. It shows when another program had the server's core. -1 if unreadable. */
static long long proc_runqueue_wait_ns(const char *pid) {
    char path[300];
    snprintf(path, sizeof path, "/proc/%s/task", pid);
    DIR *dir = opendir(path);
    if (!dir) return -1;
    long long total = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.') continue;
        char buf[128];
        snprintf(path, sizeof path, "/proc/%s/task/%s/schedstat", pid, e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n <= 0) continue;
        buf[n] = 0;
        unsigned long long run, wait;
        if (sscanf(buf, "%llu %llu", &run, &wait) == 2) total += (long long)wait;
    }
    closedir(dir);
    return total;
}

/* ------------------------------------------------------------------------------------------------ */
/* SHA-1 (FIPS 180-4) and base64 (RFC 4648), just enough for Sec-WebSocket-Accept                    */
/* ------------------------------------------------------------------------------------------------ */

static uint32_t rol32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1_block(uint32_t h[5], const uint8_t *block) {
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
               (uint32_t)block[4 * i + 2] << 8 | (uint32_t)block[4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
        else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
        else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
        else { f = b ^ c ^ d; k = 0xCA62C1D6; }
        uint32_t t = rol32(a, 5) + f + e + k + w[i];
        e = d; d = c; c = rol32(b, 30); b = a; a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

static void sha1(const uint8_t *msg, size_t len, uint8_t out[20]) {
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    size_t i = 0;
    for (; i + 64 <= len; i += 64) sha1_block(h, msg + i);
    uint8_t tail[128] = {0};
    size_t rest = len - i;
    memcpy(tail, msg + i, rest);
    tail[rest] = 0x80;
    size_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int j = 0; j < 8; j++) tail[tail_len - 1 - j] = (uint8_t)(bits >> (8 * j));
    for (size_t j = 0; j < tail_len; j += 64) sha1_block(h, tail + j);
    for (int j = 0; j < 5; j++) {
        out[4 * j] = (uint8_t)(h[j] >> 24);
        out[4 * j + 1] = (uint8_t)(h[j] >> 16);
        out[4 * j + 2] = (uint8_t)(h[j] >> 8);
        out[4 * j + 3] = (uint8_t)h[j];
    }
}

/* Writes the padded base64 of in[0..len) and a NUL; out needs 4*ceil(len/3)+1 bytes. */
static void base64(const uint8_t *in, size_t len, char *out) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < len) v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < len) v |= in[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? alphabet[v & 63] : '=';
    }
    out[o] = 0;
}

/* RFC 6455 4.2.2: accept = base64(SHA-1(key + GUID)). */
static void websocket_accept(const char *key, char out[29]) {
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    char buf[128];
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s%s", key, guid);
    uint8_t digest[20];
    sha1((const uint8_t *)buf, n, digest);
    base64(digest, 20, out);
}

static void self_test(void) {
    /* RFC 6455 1.3's worked example, and FIPS 180's "abc". */
    char accept[29];
    websocket_accept("dGhlIHNhbXBsZSBub25jZQ==", accept);
    if (strcmp(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != 0) die("self-test: accept of the RFC 6455 example is %s", accept);
    uint8_t d[20];
    char b[29];
    sha1((const uint8_t *)"abc", 3, d);
    base64(d, 20, b);
    if (strcmp(b, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=") != 0) die("self-test: SHA-1(abc) is %s", b);
}

/* ------------------------------------------------------------------------------------------------ */
/* Log-linear latency histogram (HdrHistogram-like: 128 sub-buckets per power of two, < 0.8% error) */
/* ------------------------------------------------------------------------------------------------ */

#define HIST_LINEAR 256
#define HIST_SUB 128
#define HIST_BUCKETS (HIST_LINEAR + (64 - 8) * HIST_SUB)

typedef struct {
    uint64_t counts[HIST_BUCKETS];
    uint64_t total, max;
    double sum;
} histogram;

static int hist_index(uint64_t v) {
    if (v < HIST_LINEAR) return (int)v;
    int e = 63 - __builtin_clzll(v); /* >= 8 */
    int shift = e - 7;
    return HIST_LINEAR + (e - 8) * HIST_SUB + (int)((v >> shift) & (HIST_SUB - 1));
}

/* The middle of a bucket's range of values. */
static double hist_value(int index) {
    if (index < HIST_LINEAR) return index;
    int e = (index - HIST_LINEAR) / HIST_SUB + 8;
    int sub = (index - HIST_LINEAR) % HIST_SUB;
    int shift = e - 7;
    double low = (double)((uint64_t)(HIST_SUB + sub) << shift);
    return low + (double)(1ull << shift) / 2.0;
}

static void hist_record(histogram *h, uint64_t v) {
    h->counts[hist_index(v)]++;
    h->total++;
    h->sum += (double)v;
    if (v > h->max) h->max = v;
}

static double hist_percentile(const histogram *h, double p) {
    if (h->total == 0) return 0;
    uint64_t rank = (uint64_t)(p / 100.0 * (double)h->total + 0.5);
    if (rank < 1) rank = 1;
    uint64_t seen = 0;
    for (int i = 0; i < HIST_BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= rank) return hist_value(i);
    }
    return (double)h->max;
}

/* ------------------------------------------------------------------------------------------------ */
/* Options                                                                                           */
/* ------------------------------------------------------------------------------------------------ */

enum mode { MODE_ECHO, MODE_IDLE, MODE_LATENCY, MODE_BROADCAST };

#define LATENCY_RING 16384   /* messages one connection may have outstanding in latency mode */
#define STAMP_LEN 16         /* hex digits of the send time at the start of a broadcast payload */

static struct {
    enum mode mode;
    const char *host;
    int port;
    const char *path;
    int connections;
    int inflight;
    size_t size;
    int binary;
    double duration, warmup, hold;
    double rate;             /* latency, broadcast: messages per second (0: broadcast is closed loop) */
    double tick_us;          /* latency, broadcast --rate: longest sleep between schedule checks */
    int burst;               /* latency: consecutive messages given to one connection */
    int batch;
    int retries;
    double handshake_timeout;
    double setup_timeout;
    const char *server_pid;
    struct sockaddr_storage sources[MAX_SOURCES];
    socklen_t source_len[MAX_SOURCES];
    int nsources;
} opt = {
    .host = "127.0.0.1", .port = 0, .path = "/", .connections = 100, .inflight = 4, .size = 16,
    .duration = 10, .warmup = 2, .hold = 10, .batch = 256, .retries = 5, .handshake_timeout = 10,
    .setup_timeout = 120, .tick_us = 10, .burst = 1,
};

static struct sockaddr_storage dest;
static socklen_t dest_len;

static void parser_self_test(void);

static void usage(void) {
    fputs("usage:\n"
          "  loadgen echo --host 127.0.0.1 --port P [--path /echo] [--connections 100] [--inflight 4]\n"
          "               [--size 16] [--text|--binary] [--duration 10] [--warmup 2] [--server-pid PID]\n"
          "  loadgen latency --host 127.0.0.1 --port P --rate MSGS_PER_S [--path /echo] [--connections 100]\n"
          "               [--size 16] [--text|--binary] [--duration 10] [--warmup 2] [--tick-us 10] [--burst 1] [--server-pid PID]\n"
          "  loadgen broadcast --host 127.0.0.1 --port P [--path /broadcast] [--connections 100 (subscribers)]\n"
          "               [--inflight 4 | --rate MSGS_PER_S] [--size 16] [--duration 10] [--warmup 2] [--server-pid PID]\n"
          "  loadgen idle --host 127.0.0.1 --port P [--path /] [--connections 10000] [--hold 10]\n"
          "               [--sources 127.0.0.1,127.0.0.2,...]\n"
          "  common: [--batch 256] [--retries 5] [--handshake-timeout 10] [--setup-timeout 120]\n"
          "  loadgen selftest\n",
          stderr);
    exit(2);
}

static int is_loopback(const struct sockaddr_storage *ss) {
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    }
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        return IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
    }
    return 0;
}

static socklen_t parse_addr(const char *text, int port, struct sockaddr_storage *out) {
    memset(out, 0, sizeof *out);
    struct sockaddr_in *a4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, text, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        return sizeof *a4;
    }
    if (inet_pton(AF_INET6, text, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        return sizeof *a6;
    }
    if (strcmp(text, "localhost") == 0) return parse_addr("127.0.0.1", port, out);
    die("%s is not a numeric IPv4 or IPv6 address (or localhost)", text);
    return 0;
}

static double parse_double(const char *name, const char *v, double min) {
    char *end;
    double d = strtod(v, &end);
    if (*end || d < min) die("%s %s: expected a number >= %g", name, v, min);
    return d;
}

static void parse_args(int argc, char **argv) {
    if (argc < 2) usage();
    if (strcmp(argv[1], "echo") == 0) opt.mode = MODE_ECHO;
    else if (strcmp(argv[1], "idle") == 0) { opt.mode = MODE_IDLE; opt.connections = 10000; }
    else if (strcmp(argv[1], "latency") == 0) opt.mode = MODE_LATENCY;
    else if (strcmp(argv[1], "broadcast") == 0) { opt.mode = MODE_BROADCAST; opt.path = "/broadcast"; }
    else if (strcmp(argv[1], "selftest") == 0) { self_test(); parser_self_test(); puts("{\"selftest\":\"ok\"}"); exit(0); }
    else usage();
    const char *sources = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE() do { if (!v) die("%s needs a value", a); i++; } while (0)
        if (strcmp(a, "--text") == 0) opt.binary = 0;
        else if (strcmp(a, "--binary") == 0) opt.binary = 1;
        else if (strcmp(a, "--host") == 0) { NEED_VALUE(); opt.host = v; }
        else if (strcmp(a, "--port") == 0) { NEED_VALUE(); opt.port = (int)parse_double(a, v, 1); }
        else if (strcmp(a, "--path") == 0) { NEED_VALUE(); opt.path = v; }
        else if (strcmp(a, "--connections") == 0) { NEED_VALUE(); opt.connections = (int)parse_double(a, v, 1); }
        else if (strcmp(a, "--inflight") == 0) { NEED_VALUE(); opt.inflight = (int)parse_double(a, v, 1); }
        else if (strcmp(a, "--size") == 0) { NEED_VALUE(); opt.size = (size_t)parse_double(a, v, 0); }
        else if (strcmp(a, "--duration") == 0) { NEED_VALUE(); opt.duration = parse_double(a, v, 0.1); }
        else if (strcmp(a, "--warmup") == 0) { NEED_VALUE(); opt.warmup = parse_double(a, v, 0); }
        else if (strcmp(a, "--hold") == 0) { NEED_VALUE(); opt.hold = parse_double(a, v, 0); }
        else if (strcmp(a, "--rate") == 0) { NEED_VALUE(); opt.rate = parse_double(a, v, 1); }
        else if (strcmp(a, "--tick-us") == 0) { NEED_VALUE(); opt.tick_us = parse_double(a, v, 1); }
        else if (strcmp(a, "--burst") == 0) { NEED_VALUE(); opt.burst = (int)parse_double(a, v, 1); }
        else if (strcmp(a, "--batch") == 0) { NEED_VALUE(); opt.batch = (int)parse_double(a, v, 1); }
        else if (strcmp(a, "--retries") == 0) { NEED_VALUE(); opt.retries = (int)parse_double(a, v, 0); }
        else if (strcmp(a, "--handshake-timeout") == 0) { NEED_VALUE(); opt.handshake_timeout = parse_double(a, v, 0.1); }
        else if (strcmp(a, "--setup-timeout") == 0) { NEED_VALUE(); opt.setup_timeout = parse_double(a, v, 1); }
        else if (strcmp(a, "--server-pid") == 0) {
            NEED_VALUE();
            if (!*v || strspn(v, "0123456789") != strlen(v)) die("--server-pid %s: expected a process id", v);
            opt.server_pid = v;
        }
        else if (strcmp(a, "--sources") == 0) { NEED_VALUE(); sources = v; }
        else die("unknown option %s", a);
#undef NEED_VALUE
    }
    if (opt.port <= 0 || opt.port > 65535) die("--port %d: expected 1..65535", opt.port);
    if (opt.path[0] != '/' || strlen(opt.path) > 256 || strpbrk(opt.path, " \r\n"))
        die("--path %s: expected an absolute path of at most 256 characters without spaces", opt.path);
    if (opt.inflight > 1 << 16) die("--inflight %d exceeds 65536", opt.inflight);
    if (opt.size > (64u << 20)) die("--size %zu exceeds 64 MiB", opt.size);
    if (opt.mode == MODE_LATENCY && opt.rate <= 0) die("latency needs --rate (messages per second, all connections together)");
    if (opt.mode == MODE_BROADCAST) {
        if (opt.size < STAMP_LEN || opt.size > 65536) die("--size %zu: broadcast needs %d..65536 bytes", opt.size, STAMP_LEN);
        if (opt.binary) die("broadcast sends text only");
        opt.connections += 1; /* conns[0] is the publisher */
    }
    dest_len = parse_addr(opt.host, opt.port, &dest);
    if (!is_loopback(&dest)) die("--host %s is not a loopback address; loadgen only targets loopback", opt.host);
    if (sources) {
        char *copy = strdup(sources);
        for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            if (opt.nsources == MAX_SOURCES) die("more than %d --sources", MAX_SOURCES);
            opt.source_len[opt.nsources] = parse_addr(tok, 0, &opt.sources[opt.nsources]);
            if (!is_loopback(&opt.sources[opt.nsources])) die("source %s is not a loopback address", tok);
            if (opt.sources[opt.nsources].ss_family != dest.ss_family) die("source %s is not of --host's address family", tok);
            opt.nsources++;
        }
        free(copy);
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Connections                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

enum cstate { C_QUEUED, C_RETRY, C_CONNECTING, C_HANDSHAKE, C_OPEN, C_CLOSED, C_FAILED };

typedef struct conn {
    int fd;
    uint8_t state;
    uint8_t attempts;
    uint8_t want_out;     /* EPOLLOUT is registered */
    double due;           /* retry time (C_RETRY) or handshake deadline (C_CONNECTING, C_HANDSHAKE) */
    int source;           /* index into opt.sources, or -1 */
    char key[25];
    char *hs;             /* response head accumulator while in C_HANDSHAKE */
    uint32_t hs_len;
    uint8_t *out;         /* bytes to write: out[out_off..out_len) */
    uint32_t out_off, out_len, out_cap;
    uint32_t to_send;     /* echo messages to append at the next flush */
    /* frame parser */
    uint8_t hdr[14];
    uint8_t hdr_len, hdr_need, in_payload;
    uint8_t opcode, fin, in_message, msg_opcode;
    uint64_t payload_left, frame_len, msg_len;
    uint8_t ctl[125];
    uint8_t ctl_len;
    uint8_t head[STAMP_LEN];  /* the first bytes of the data message being received (broadcast stamps) */
    uint8_t head_len;
    uint8_t dirty;            /* latency: on the dirty list, to be flushed after this schedule pass */
    uint8_t ever_open;        /* the handshake completed (it may have failed since) */
    /* send times of the messages in flight, oldest first */
    uint64_t *sent_at;
    uint32_t q_head, q_count;
} conn;

static conn *conns;
static int epfd;
static uint8_t *readbuf;
static int *queue;               /* ring of connection indexes waiting to start */
static int q_head, q_count;
static int pending;              /* connections in C_CONNECTING or C_HANDSHAKE */
static int opened, failed, open_now;
static histogram *hist;
static uint64_t messages;        /* echoes (broadcast: deliveries) received inside the measured window */
static uint32_t ring_cap;        /* capacity of each connection's ring of send times */
/* Open-loop schedule (latency; broadcast with --rate): message k is due at sched_t0 + k * 1e9 / rate ns. */
static uint64_t sched_t0, sched_k;
static histogram *lag_hist;      /* how late scheduled sends left, inside the measured window */
static uint64_t sent_measured;   /* messages sent (scheduled or published) inside the measured window */
static uint64_t outstanding;      /* broadcast: published messages whose own copy has not come back */
static int *dirty_list, dirty_count;
static uint8_t *pub_buf;         /* broadcast: one publisher frame being built */
static uint64_t parser_test_stamps; /* selftest: sum of the decoded broadcast stamps */
static int measuring, sending, closing;
static uint64_t batch_ns;         /* when the bytes being parsed were read: one clock read per recv() */
static volatile sig_atomic_t stop_signal;
static int stdin_marker;         /* its address tags stdin in epoll */

static int parser_test;          /* selftest: message_done only counts */
static uint64_t parser_test_msgs, parser_test_bytes;

static struct {
    uint64_t connect, handshake, timeout, eof, reset, protocol, length, opcode, server_close, behind;
} err;

static uint64_t errors_total(void) {
    return err.connect + err.handshake + err.timeout + err.eof + err.reset + err.protocol + err.length +
           err.opcode + err.server_close + err.behind;
}

/* Precomputed client frames: MASK_VARIANTS copies of the same message under different masking keys. */
static uint8_t *frames;
static size_t frame_len;
static unsigned frame_next;

static size_t write_header(uint8_t *p, uint8_t first, uint64_t len, const uint8_t mask[4]) {
    size_t n = 0;
    p[n++] = first;
    if (len < 126) p[n++] = (uint8_t)(0x80 | len);
    else if (len < 65536) { p[n++] = 0x80 | 126; p[n++] = (uint8_t)(len >> 8); p[n++] = (uint8_t)len; }
    else { p[n++] = 0x80 | 127; for (int i = 7; i >= 0; i--) p[n++] = (uint8_t)(len >> (8 * i)); }
    memcpy(p + n, mask, 4);
    return n + 4;
}

/* RFC 6455 5.3: every frame from client to server is masked. */
static size_t build_frame(uint8_t *p, uint8_t opcode, const uint8_t *payload, size_t len) {
    uint8_t mask[4];
    fill_random(mask, 4);
    size_t h = write_header(p, (uint8_t)(0x80 | opcode), len, mask);
    for (size_t i = 0; i < len; i++) p[h + i] = payload[i] ^ mask[i & 3];
    return h + len;
}

static void build_frames(void) {
    uint8_t *payload = malloc(opt.size + 1);
    for (size_t i = 0; i < opt.size; i++) payload[i] = (uint8_t)('a' + i % 26); /* ASCII: valid UTF-8 */
    frame_len = opt.size + (opt.size < 126 ? 6 : opt.size < 65536 ? 8 : 14);
    frames = malloc(frame_len * MASK_VARIANTS);
    for (int v = 0; v < MASK_VARIANTS; v++)
        build_frame(frames + (size_t)v * frame_len, opt.binary ? 0x2 : 0x1, payload, opt.size);
    free(payload);
}

static void set_events(conn *c, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) die("epoll_ctl MOD: %s", strerror(errno));
}

static void enqueue(conn *c) {
    int cap = opt.connections;
    queue[(q_head + q_count) % cap] = (int)(c - conns);
    q_count++;
}

static void leave_pending(conn *c) {
    if (c->state == C_CONNECTING || c->state == C_HANDSHAKE) pending--;
}

static void drop_socket(conn *c) {
    if (c->fd >= 0) close(c->fd); /* closing removes it from epoll */
    c->fd = -1;
    free(c->hs);
    c->hs = NULL;
    c->out_off = c->out_len = 0;
    c->want_out = 0;
}

/* A failure after the connection was counted as open, or a permanent setup failure. */
static void conn_fail(conn *c, uint64_t *counter, const char *why) {
    if (c->state == C_CLOSED || c->state == C_FAILED) return;
    if (!closing) (*counter)++;
    if (errors_total() <= 5 && !closing) fprintf(stderr, "loadgen: connection %ld: %s\n", (long)(c - conns), why);
    leave_pending(c);
    if (c->state == C_OPEN) open_now--;
    else failed++;
    drop_socket(c);
    c->state = C_FAILED;
}

/* A setup step failed in a way worth retrying (refused, no port, reset, timed out). */
static void conn_retry(conn *c, uint64_t *counter, const char *why, double now) {
    if (c->attempts >= opt.retries) {
        conn_fail(c, counter, why);
        return;
    }
    leave_pending(c);
    drop_socket(c);
    c->attempts++;
    c->state = C_RETRY;
    c->due = now + 0.05 * (1 << (c->attempts < 6 ? c->attempts : 6));
    enqueue(c);
}

static void out_append(conn *c, const uint8_t *p, size_t n) {
    if (c->out_off > 0 && c->out_len + n > c->out_cap) {
        memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
        c->out_len -= c->out_off;
        c->out_off = 0;
    }
    if (c->out_len + n > c->out_cap) {
        uint32_t cap = c->out_cap * 2;
        while (c->out_len + n > cap) cap *= 2;
        c->out = realloc(c->out, cap);
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, p, n);
    c->out_len += (uint32_t)n;
}

/* Appends the queued echo messages (stamping their send time) and writes as much as the socket takes. */
static void flush(conn *c) {
    if (c->to_send > 0) {
        uint64_t t = batch_ns ? batch_ns : now_ns();
        uint32_t cap = ring_cap;
        for (; c->to_send > 0; c->to_send--) {
            out_append(c, frames + (size_t)(frame_next++ % MASK_VARIANTS) * frame_len, frame_len);
            c->sent_at[(c->q_head + c->q_count) % cap] = t;
            c->q_count++;
        }
    }
    while (c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n > 0) { c->out_off += (uint32_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!c->want_out) { c->want_out = 1; set_events(c, EPOLLIN | EPOLLOUT); }
            return;
        }
        if (c->state == C_HANDSHAKE) conn_retry(c, &err.reset, strerror(errno), now_s());
        else conn_fail(c, &err.reset, strerror(errno));
        return;
    }
    c->out_off = c->out_len = 0;
    if (c->want_out) { c->want_out = 0; set_events(c, EPOLLIN); }
}

static void send_control(conn *c, uint8_t opcode, const uint8_t *payload, size_t len) {
    uint8_t buf[14 + 125];
    out_append(c, buf, build_frame(buf, opcode, payload, len));
}

static void mark_dirty(conn *c) {
    if (!c->dirty) {
        c->dirty = 1;
        dirty_list[dirty_count++] = (int)(c - conns);
    }
}

/* Latency: queues one message on c, remembering its scheduled send time for the round trip. */
static void latency_send(conn *c, uint64_t scheduled) {
    if (c->q_count == ring_cap) {
        conn_fail(c, &err.behind, "more than 16384 messages outstanding: the server is not keeping up with --rate");
        return;
    }
    out_append(c, frames + (size_t)(frame_next++ % MASK_VARIANTS) * frame_len, frame_len);
    c->sent_at[(c->q_head + c->q_count) % ring_cap] = scheduled;
    c->q_count++;
    mark_dirty(c);
}

/* Writes v as STAMP_LEN lower-case hex digits. */
static void put_stamp(uint8_t *p, uint64_t v) {
    for (int i = STAMP_LEN - 1; i >= 0; i--) {
        p[i] = (uint8_t)"0123456789abcdef"[v & 15];
        v >>= 4;
    }
}

/* Reads STAMP_LEN hex digits into *out; returns 0 if one is not a hex digit. */
static int get_stamp(const uint8_t *p, uint64_t *out) {
    uint64_t v = 0;
    for (int i = 0; i < STAMP_LEN; i++) {
        uint8_t d = p[i];
        if (d >= '0' && d <= '9') d = (uint8_t)(d - '0');
        else if (d >= 'a' && d <= 'f') d = (uint8_t)(d - 'a' + 10);
        else if (d >= 'A' && d <= 'F') d = (uint8_t)(d - 'A' + 10);
        else return 0;
        v = v << 4 | d;
    }
    *out = v;
    return 1;
}

/* Broadcast: queues one text message on the publisher whose payload starts with stamp (its send time). */
static void publish(uint64_t stamp) {
    conn *c = &conns[0];
    if (c->state != C_OPEN) return;
    static uint32_t x = 2463534242u; /* xorshift32: masking keys need not be secret here, only varied */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    uint8_t mask[4];
    memcpy(mask, &x, 4);
    size_t h = write_header(pub_buf, 0x81, opt.size, mask);
    uint8_t *payload = pub_buf + h;
    put_stamp(payload, stamp);
    for (size_t i = STAMP_LEN; i < opt.size; i++) payload[i] = (uint8_t)('a' + i % 26);
    for (size_t i = 0; i < opt.size; i++) payload[i] ^= mask[i & 3]; /* RFC 6455 5.3 */
    out_append(c, pub_buf, h + opt.size);
    outstanding++;
    mark_dirty(c);
}

static void start_handshake(conn *c) {
    uint8_t raw[16];
    fill_random(raw, sizeof raw);
    base64(raw, sizeof raw, c->key);
    char host[64];
    char req[512];
    if (dest.ss_family == AF_INET6) snprintf(host, sizeof host, "[%s]:%d", opt.host, opt.port);
    else snprintf(host, sizeof host, "%s:%d", opt.host, opt.port);
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                     opt.path, host, c->key);
    c->state = C_HANDSHAKE;
    c->hs = malloc(HS_MAX);
    c->hs_len = 0;
    out_append(c, (const uint8_t *)req, (size_t)n);
    flush(c);
}

static void start_conn(conn *c, double now) {
    int fd = socket(dest.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE) die("socket: %s (%d open; raise ulimit -n)", strerror(errno), open_now);
        die("socket: %s", strerror(errno));
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->fd = fd;
    c->state = C_CONNECTING;
    c->due = now + opt.handshake_timeout;
    c->hdr_len = 0; c->hdr_need = 2; c->in_payload = 0; c->in_message = 0;
    c->q_head = c->q_count = 0; c->to_send = 0;
    pending++;
    if (c->source >= 0) {
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&opt.sources[c->source], opt.source_len[c->source]) < 0) {
            conn_retry(c, &err.connect, "bind failed", now);
            return;
        }
    }
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl ADD: %s", strerror(errno));
    c->want_out = 1;
    if (connect(fd, (struct sockaddr *)&dest, dest_len) == 0) {
        start_handshake(c);
        return;
    }
    if (errno == EINPROGRESS) return;
    conn_retry(c, &err.connect, strerror(errno), now);
}

static void on_open(conn *c) {
    free(c->hs);
    c->hs = NULL;
    c->state = C_OPEN;
    c->ever_open = 1;
    pending--;
    opened++;
    open_now++;
}

/* Validates the 101 response head in c->hs[0..head_len). RFC 6455 4.1: status 101 and a matching accept. */
static int check_response(conn *c, size_t head_len) {
    c->hs[head_len - 1] = 0;
    if (strncmp(c->hs, "HTTP/1.1 101", 12) != 0) {
        char *eol = strstr(c->hs, "\r\n");
        if (eol) *eol = 0;
        fprintf(stderr, "loadgen: expected status 101, got \"%.80s\"\n", c->hs);
        return 0;
    }
    char expected[29];
    websocket_accept(c->key, expected);
    for (char *line = strstr(c->hs, "\r\n"); line; line = strstr(line, "\r\n")) {
        line += 2;
        if (strncasecmp(line, "Sec-WebSocket-Accept:", 21) == 0) {
            char *v = line + 21;
            while (*v == ' ' || *v == '\t') v++;
            size_t n = strcspn(v, " \t\r\n");
            if (n == 28 && memcmp(v, expected, 28) == 0) return 1;
            fprintf(stderr, "loadgen: Sec-WebSocket-Accept %.*s, expected %s\n", (int)n, v, expected);
            return 0;
        }
    }
    fprintf(stderr, "loadgen: 101 response without Sec-WebSocket-Accept\n");
    return 0;
}

static void broadcast_done(conn *c) {
    uint64_t stamp;
    if (c->msg_opcode != 0x1) { conn_fail(c, &err.opcode, "broadcast message is not text"); return; }
    if (c->msg_len != opt.size) { conn_fail(c, &err.length, "broadcast message has the wrong length"); return; }
    if (c->head_len < STAMP_LEN || !get_stamp(c->head, &stamp)) {
        conn_fail(c, &err.protocol, "broadcast message does not start with a send time");
        return;
    }
    if (measuring) {
        messages++;
        hist_record(hist, batch_ns > stamp ? batch_ns - stamp : 0);
    }
    if (c == conns) {
        if (outstanding == 0) { conn_fail(c, &err.protocol, "the publisher got a message it did not send"); return; }
        outstanding--;
        if (sending && opt.rate <= 0) {
            publish(now_ns());
            if (measuring) sent_measured++;
        }
    }
}

static void message_done(conn *c) {
    if (parser_test) {
        uint64_t stamp;
        parser_test_msgs++;
        parser_test_bytes += c->msg_len;
        if (c->head_len == STAMP_LEN && get_stamp(c->head, &stamp)) parser_test_stamps += stamp;
        return;
    }
    if (opt.mode == MODE_IDLE) {
        conn_fail(c, &err.protocol, "unexpected data message in idle mode");
        return;
    }
    if (opt.mode == MODE_BROADCAST) {
        broadcast_done(c);
        return;
    }
    if (c->q_count == 0) { conn_fail(c, &err.protocol, "message with none in flight"); return; }
    uint64_t sent = c->sent_at[c->q_head];
    c->q_head = (c->q_head + 1) % ring_cap;
    c->q_count--;
    if (c->msg_opcode != (opt.binary ? 0x2 : 0x1)) { conn_fail(c, &err.opcode, "echo has the wrong opcode"); return; }
    if (c->msg_len != opt.size) { conn_fail(c, &err.length, "echo has the wrong length"); return; }
    if (measuring) {
        messages++;
        hist_record(hist, batch_ns - sent);
    }
    if (sending && opt.mode == MODE_ECHO) c->to_send++;
}

static void frame_done(conn *c) {
    switch (c->opcode) {
    case 0x0: /* continuation */
        if (!c->in_message) { conn_fail(c, &err.protocol, "continuation without a message"); return; }
        c->msg_len += c->frame_len;
        break;
    case 0x1:
    case 0x2:
        if (c->in_message) { conn_fail(c, &err.protocol, "new message inside a fragmented one"); return; }
        c->in_message = 1;
        c->msg_opcode = c->opcode;
        c->msg_len = c->frame_len;
        break;
    case 0x8:
        conn_fail(c, &err.server_close, "server sent a close frame");
        return;
    case 0x9:
        send_control(c, 0xA, c->ctl, c->ctl_len); /* RFC 6455 5.5.2: answer a ping with a pong */
        return;
    case 0xA:
        return;
    default:
        conn_fail(c, &err.protocol, "reserved opcode");
        return;
    }
    if (c->fin) {
        c->in_message = 0;
        message_done(c);
    }
}

/* Streaming frame parser: consumes data[0..len) whatever the frame boundaries. */
static void parse_frames(conn *c, const uint8_t *data, size_t len) {
    while (len > 0 && c->state == C_OPEN) {
        if (!c->in_payload) {
            size_t take = c->hdr_need - c->hdr_len;
            if (take > len) take = len;
            memcpy(c->hdr + c->hdr_len, data, take);
            c->hdr_len += (uint8_t)take;
            data += take;
            len -= take;
            if (c->hdr_len == 2 && c->hdr_need == 2) {
                uint8_t l7 = c->hdr[1] & 0x7f;
                if (c->hdr[1] & 0x80) { conn_fail(c, &err.protocol, "masked frame from the server"); return; } /* RFC 6455 5.1 */
                if (c->hdr[0] & 0x70) { conn_fail(c, &err.protocol, "RSV bits set"); return; }
                c->hdr_need = (uint8_t)(2 + (l7 == 126 ? 2 : l7 == 127 ? 8 : 0));
            }
            if (c->hdr_len < c->hdr_need) continue;
            uint64_t plen = c->hdr[1] & 0x7f;
            if (plen == 126) plen = (uint64_t)c->hdr[2] << 8 | c->hdr[3];
            else if (plen == 127) { plen = 0; for (int i = 2; i < 10; i++) plen = plen << 8 | c->hdr[i]; }
            c->fin = c->hdr[0] >> 7;
            c->opcode = c->hdr[0] & 0x0f;
            c->frame_len = plen;
            c->payload_left = plen;
            c->ctl_len = 0;
            if (c->opcode == 0x1 || c->opcode == 0x2) c->head_len = 0; /* a new data message begins */
            if ((c->opcode & 0x8) && (plen > 125 || !c->fin)) { conn_fail(c, &err.protocol, "bad control frame"); return; }
            c->in_payload = 1;
        } else {
            size_t take = c->payload_left < len ? (size_t)c->payload_left : len;
            if (c->opcode & 0x8) { memcpy(c->ctl + c->ctl_len, data, take); c->ctl_len += (uint8_t)take; }
            else if (c->head_len < STAMP_LEN) {
                size_t h = (size_t)(STAMP_LEN - c->head_len);
                if (h > take) h = take;
                memcpy(c->head + c->head_len, data, h);
                c->head_len += (uint8_t)h;
            }
            c->payload_left -= take;
            data += take;
            len -= take;
        }
        if (c->in_payload && c->payload_left == 0) {
            c->in_payload = 0;
            c->hdr_len = 0;
            c->hdr_need = 2;
            frame_done(c);
        }
    }
}

static void on_bytes(conn *c, const uint8_t *data, size_t len) {
    if (c->state == C_HANDSHAKE) {
        size_t room = HS_MAX - 1 - c->hs_len;
        size_t take = len < room ? len : room;
        memcpy(c->hs + c->hs_len, data, take);
        size_t scan_from = c->hs_len >= 3 ? c->hs_len - 3 : 0;
        c->hs_len += (uint32_t)take;
        c->hs[c->hs_len] = 0;
        char *end = strstr(c->hs + scan_from, "\r\n\r\n");
        if (!end) {
            if (c->hs_len >= HS_MAX - 1) conn_fail(c, &err.handshake, "response head too large");
            return;
        }
        size_t head_len = (size_t)(end - c->hs) + 4;
        size_t consumed = head_len - (c->hs_len - take); /* bytes of data that were head */
        if (!check_response(c, head_len)) { conn_fail(c, &err.handshake, "handshake rejected"); return; }
        on_open(c);
        data += consumed;
        len -= consumed;
    }
    if (c->state == C_OPEN && len > 0) parse_frames(c, data, len);
}

static void on_readable(conn *c, double now) {
    for (int rounds = 0; rounds < 4; rounds++) {
        ssize_t n = recv(c->fd, readbuf, READ_BUF, 0);
        if (n > 0) {
            batch_ns = now_ns();
            on_bytes(c, readbuf, (size_t)n);
            if (c->state != C_OPEN && c->state != C_HANDSHAKE) return;
            if (n < READ_BUF) break;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        const char *why = n == 0 ? "connection closed by the server" : strerror(errno);
        uint64_t *counter = n == 0 ? &err.eof : &err.reset;
        if (c->state == C_HANDSHAKE) conn_retry(c, counter, why, now);
        else conn_fail(c, counter, why);
        return;
    }
    if (c->state == C_OPEN && (c->to_send > 0 || c->out_len > c->out_off)) flush(c);
    batch_ns = 0;
}

static void on_event(conn *c, uint32_t events, double now) {
    if (c->state == C_CONNECTING) {
        int so_error = 0;
        socklen_t len = sizeof so_error;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
        if (so_error != 0) { conn_retry(c, &err.connect, strerror(so_error), now); return; }
        if (!(events & EPOLLOUT)) return;
        start_handshake(c);
        return;
    }
    if (c->state != C_HANDSHAKE && c->state != C_OPEN) return;
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c, now);
    if ((c->state == C_HANDSHAKE || c->state == C_OPEN) && (events & EPOLLOUT)) flush(c);
}

static void start_queued(double now) {
    while (pending < opt.batch && q_count > 0) {
        conn *c = &conns[queue[q_head]];
        if (c->state == C_RETRY && c->due > now) break;
        q_head = (q_head + 1) % opt.connections;
        q_count--;
        start_conn(c, now);
    }
}

static void expire_handshakes(double now) {
    for (int i = 0; i < opt.connections; i++) {
        conn *c = &conns[i];
        if ((c->state == C_CONNECTING || c->state == C_HANDSHAKE) && c->due < now)
            conn_retry(c, &err.timeout, "connect or handshake timed out", now);
    }
}

static void on_signal(int sig) {
    (void)sig;
    stop_signal = 1;
}

static void raise_nofile(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    getrlimit(RLIMIT_NOFILE, &rl);
    if ((double)rl.rlim_cur < (double)opt.connections + 16)
        die("RLIMIT_NOFILE is %llu, too low for %d connections (raise the hard limit: ulimit -Hn)",
            (unsigned long long)rl.rlim_cur, opt.connections);
}

static void print_errors(void) {
    printf("\"errors\":%llu,\"error_detail\":{\"connect\":%llu,\"handshake\":%llu,\"timeout\":%llu,\"eof\":%llu,"
           "\"reset\":%llu,\"protocol\":%llu,\"length\":%llu,\"opcode\":%llu,\"server_close\":%llu,\"behind\":%llu}",
           (unsigned long long)errors_total(), (unsigned long long)err.connect, (unsigned long long)err.handshake,
           (unsigned long long)err.timeout, (unsigned long long)err.eof, (unsigned long long)err.reset,
           (unsigned long long)err.protocol, (unsigned long long)err.length, (unsigned long long)err.opcode,
           (unsigned long long)err.server_close, (unsigned long long)err.behind);
}

/* Polls epoll once, waiting at most timeout_s. */
static int precise_wait; /* scheduled modes: wait with epoll_pwait2's nanosecond timeout */

static uint64_t pump_schedule(void);
static int pumping; /* open-loop modes while sending: poll_once keeps the schedule between events too */

static void poll_once(struct epoll_event *evs, int max, double timeout_s) {
    int n;
    if (precise_wait) {
        if (timeout_s > 0.1) timeout_s = 0.1;
        if (timeout_s < 0) timeout_s = 0;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)(timeout_s * 1e9)};
        n = epoll_pwait2(epfd, evs, max, &ts, NULL);
        if (n < 0 && errno == ENOSYS) die("epoll_pwait2 is not available (Linux >= 5.11 needed for latency and broadcast --rate)");
    } else {
        int ms = timeout_s <= 0 ? 0 : (int)(timeout_s * 1000.0) + 1;
        if (ms > 100) ms = 100;
        n = epoll_wait(epfd, evs, max, ms);
    }
    if (n < 0) {
        if (errno == EINTR) return;
        die("epoll_wait: %s", strerror(errno));
    }
    double now = now_s();
    for (int i = 0; i < n; i++) {
        /* One poll can return every connection at once; reading them all takes long enough (a few us
         * each) that due sends would wait behind it, so the schedule gets a turn every 8 events. */
        if (pumping && i > 0 && (i & 7) == 0) pump_schedule();
        if (evs[i].data.ptr == &stdin_marker) {
            char b[256];
            ssize_t r = read(0, b, sizeof b);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                stop_signal = 1;
                epoll_ctl(epfd, EPOLL_CTL_DEL, 0, NULL);
            }
            continue;
        }
        on_event(evs[i].data.ptr, evs[i].events, now);
    }
}

/* Open loop: sends every scheduled message that is due, flushes the connections it touched, and returns
 * the ns until the next one is due. */
static uint64_t pump_schedule(void) {
    uint64_t now = now_ns();
    for (;;) {
        uint64_t due = sched_t0 + (uint64_t)((double)sched_k * 1e9 / opt.rate);
        if (due > now) {
            for (int i = 0; i < dirty_count; i++) {
                conn *c = &conns[dirty_list[i]];
                c->dirty = 0;
                if (c->state == C_OPEN) flush(c);
            }
            dirty_count = 0;
            return due - now;
        }
        if (measuring) { hist_record(lag_hist, now - due); sent_measured++; }
        if (opt.mode == MODE_LATENCY) {
            conn *c = &conns[(sched_k / (uint64_t)opt.burst) % (uint64_t)opt.connections];
            if (c->state == C_OPEN) latency_send(c, due);
        } else {
            publish(due);
        }
        sched_k++;
    }
}

/* Runs the event loop for `seconds` (less if every connection is gone or a signal came); in the open-loop
 * modes it also keeps the schedule. */
static void run_for(struct epoll_event *evs, int max, double seconds) {
    int scheduled = opt.mode == MODE_LATENCY || (opt.mode == MODE_BROADCAST && opt.rate > 0);
    double start = now_s();
    while (!stop_signal && open_now > 0) {
        double left = seconds - (now_s() - start);
        if (left <= 0) break;
        double wait = left;
        pumping = scheduled && sending;
        if (pumping) {
            double next = (double)pump_schedule() * 1e-9;
            if (next < opt.tick_us * 1e-6) next = opt.tick_us * 1e-6;
            if (next < wait) wait = next;
        }
        poll_once(evs, max, wait);
    }
    pumping = 0;
}

/* Opens every connection (bounded by --setup-timeout); returns the seconds it took. */
static double setup(struct epoll_event *evs, int max) {
    double start = now_s(), last_scan = start;
    while (opened + failed < opt.connections && !stop_signal) {
        double now = now_s();
        if (now - start > opt.setup_timeout) {
            fprintf(stderr, "loadgen: setup timed out after %.0f s with %d of %d open\n", opt.setup_timeout, opened,
                    opt.connections);
            for (int i = 0; i < opt.connections; i++) {
                conn *c = &conns[i];
                if (c->state != C_OPEN && c->state != C_FAILED) {
                    if (c->state == C_QUEUED || c->state == C_RETRY) c->state = C_CONNECTING, pending++;
                    conn_fail(c, &err.timeout, "setup timed out");
                }
            }
            break;
        }
        start_queued(now);
        if (now - last_scan > 0.1) { expire_handshakes(now); last_scan = now; }
        poll_once(evs, max, 0.1);
    }
    return now_s() - start;
}

static void close_all(void) {
    closing = 1;
    for (int i = 0; i < opt.connections; i++) {
        conn *c = &conns[i];
        if (c->state != C_OPEN) {
            if (c->fd >= 0) drop_socket(c);
            continue;
        }
        /* RFC 6455 5.5.1: close frame with 1000; we do not wait for the server's answer. */
        uint8_t status[2] = {0x03, 0xE8};
        c->out_off = c->out_len = 0;
        c->to_send = 0;
        send_control(c, 0x8, status, 2);
        flush(c);
        if (c->fd >= 0) { shutdown(c->fd, SHUT_WR); drop_socket(c); }
        c->state = C_CLOSED;
    }
}

/* Appends an unmasked server frame to p; returns its length. */
static size_t server_frame(uint8_t *p, uint8_t first, size_t len) {
    size_t n = 0;
    p[n++] = first;
    if (len < 126) p[n++] = (uint8_t)len;
    else if (len < 65536) { p[n++] = 126; p[n++] = (uint8_t)(len >> 8); p[n++] = (uint8_t)len; }
    else { p[n++] = 127; for (int i = 7; i >= 0; i--) p[n++] = (uint8_t)((uint64_t)len >> (8 * i)); }
    memset(p + n, 'x', len);
    return n + len;
}

/* An unmasked server frame carrying payload[0..len). */
static size_t server_frame_of(uint8_t *p, uint8_t first, const uint8_t *payload, size_t len) {
    size_t n = server_frame(p, first, len);
    memcpy(p + n - len, payload, len);
    return n;
}

/* Feeds stream[0..n) (a 101 head for c0's key, then frames) to a fresh connection in pieces of every size
 * in a list and of random sizes, and checks what the parser made of it each time: messages, payload
 * bytes, the sum of the broadcast stamps it decoded, and the bytes it queued (pongs). */
static void run_pieces(const char *what, const conn *c0, const uint8_t *stream, size_t n, uint64_t want_msgs,
                       uint64_t want_bytes, uint64_t want_stamps, uint32_t want_out) {
    static const size_t pieces[] = {1, 2, 3, 7, 13, 64, 1000, 4096, 1 << 20};
    uint32_t rnd = 12345;
    parser_test = 1;
    for (size_t k = 0; k <= sizeof pieces / sizeof pieces[0]; k++) {
        conn c = *c0;
        c.state = C_HANDSHAKE;
        c.hs = malloc(HS_MAX);
        c.out_cap = 1024;
        c.out = malloc(c.out_cap);
        c.hdr_need = 2;
        c.fd = -1;
        pending = 1;
        parser_test_msgs = parser_test_bytes = parser_test_stamps = 0;
        for (size_t off = 0; off < n;) {
            size_t piece;
            if (k < sizeof pieces / sizeof pieces[0]) piece = pieces[k];
            else { rnd = rnd * 1103515245u + 12345u; piece = 1 + (rnd >> 8) % 3000; }
            if (piece > n - off) piece = n - off;
            on_bytes(&c, stream + off, piece);
            if (c.state != C_OPEN && c.state != C_HANDSHAKE)
                die("self-test %s: parser failed at offset %zu, pieces of %zu", what, off, piece);
            off += piece;
        }
        if (c.state != C_OPEN || parser_test_msgs != want_msgs || parser_test_bytes != want_bytes ||
            parser_test_stamps != want_stamps || c.out_len != want_out)
            die("self-test %s: pieces #%zu: state %d, %llu messages of %llu bytes, stamps summing to %llu, %u bytes "
                "queued (expected %llu of %llu, %llu, %u)", what, k, c.state, (unsigned long long)parser_test_msgs,
                (unsigned long long)parser_test_bytes, (unsigned long long)parser_test_stamps, c.out_len,
                (unsigned long long)want_msgs, (unsigned long long)want_bytes, (unsigned long long)want_stamps,
                want_out);
        free(c.out);
    }
    parser_test = 0;
    opened = open_now = pending = 0;
}

/* The handshake reader and frame parser on two streams, cut into pieces of every size from 1 byte up and
 * at random points: (1) frames of every length encoding, a ping, a fragmented message; (2) broadcast
 * messages whose send-time stamp is split across fragments, with control frames between them. */
static void parser_self_test(void) {
    static const size_t sizes[] = {0, 1, 16, 125, 126, 1024, 65535, 65536, 70000};
    size_t cap = 4096 + 300000;
    uint8_t *stream = malloc(cap);
    conn c0 = {0};
    uint8_t raw[16];
    fill_random(raw, sizeof raw);
    base64(raw, sizeof raw, c0.key);
    char accept[29];
    websocket_accept(c0.key, accept);
    size_t head = (size_t)snprintf((char *)stream, 4096,
                                   "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
                                   "sec-websocket-accept: %s\r\n\r\n", accept);
    size_t n = head;
    uint64_t want_msgs = 0, want_bytes = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        n += server_frame(stream + n, 0x81, sizes[i]);
        want_msgs++;
        want_bytes += sizes[i];
        if (i == 3) n += server_frame(stream + n, 0x89, 5); /* ping between messages */
    }
    n += server_frame(stream + n, 0x02, 100); /* binary, not final */
    n += server_frame(stream + n, 0x8A, 0);   /* a pong may sit between fragments */
    n += server_frame(stream + n, 0x80, 28);  /* continuation, final: one message of 128 bytes */
    want_msgs++;
    want_bytes += 128;
    run_pieces("frames", &c0, stream, n, want_msgs, want_bytes, 0, 6 + 5);

    /* Stamps: encoding both ways, and a digit that is not hex. */
    uint8_t text[40];
    uint64_t v = 0;
    put_stamp(text, 0x0123456789abcdefull);
    if (memcmp(text, "0123456789abcdef", STAMP_LEN) != 0) die("self-test: put_stamp wrote %.16s", (const char *)text);
    if (!get_stamp((const uint8_t *)"FEDCBA9876543210", &v) || v != 0xfedcba9876543210ull) die("self-test: get_stamp read %llx", (unsigned long long)v);
    if (get_stamp((const uint8_t *)"0123456789abcdeg", &v)) die("self-test: get_stamp accepted 'g'");
    const uint64_t a = 0x0123456789abcdefull, b = 42, c = 0xffffffffffffull;
    n = head;
    put_stamp(text, a);
    n += server_frame_of(stream + n, 0x81, text, STAMP_LEN);   /* a stamp and nothing else */
    n += server_frame(stream + n, 0x89, 5);                    /* a ping */
    put_stamp(text, b);
    memset(text + STAMP_LEN, 'q', sizeof text - STAMP_LEN);
    n += server_frame_of(stream + n, 0x01, text, 5);           /* 40 bytes in three fragments, the stamp */
    n += server_frame(stream + n, 0x8A, 3);                    /* cut by a pong with a payload of its own */
    n += server_frame_of(stream + n, 0x00, text + 5, 20);
    n += server_frame_of(stream + n, 0x80, text + 25, 15);
    n += server_frame(stream + n, 0x82, 40);                   /* no stamp: 'x' is not a hex digit */
    put_stamp(text, c);
    n += server_frame_of(stream + n, 0x01, text, 0);           /* an empty first fragment */
    n += server_frame_of(stream + n, 0x80, text, 40);
    run_pieces("stamps", &c0, stream, n, 4, 16 + 40 + 40 + 40, a + b + c, 6 + 5);
    free(stream);
}

int main(int argc, char **argv) {
    parse_args(argc, argv);
    self_test();
    raise_nofile();
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1: %s", strerror(errno));
    if (opt.mode == MODE_IDLE) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &stdin_marker};
        epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev); /* fails for /dev/null or a file: then only --hold and signals */
    }
    readbuf = malloc(READ_BUF);
    hist = calloc(1, sizeof *hist);
    build_frames();
    conns = calloc((size_t)opt.connections, sizeof *conns);
    queue = malloc(sizeof(int) * (size_t)opt.connections);
    uint32_t out_cap = (uint32_t)(opt.mode == MODE_ECHO ? frame_len * (size_t)opt.inflight : 0) + 1024;
    ring_cap = opt.mode == MODE_LATENCY ? LATENCY_RING : (uint32_t)opt.inflight;
    lag_hist = calloc(1, sizeof *lag_hist);
    dirty_list = malloc(sizeof(int) * (size_t)opt.connections);
    if (opt.mode == MODE_BROADCAST) pub_buf = malloc(opt.size + 14);
    for (int i = 0; i < opt.connections; i++) {
        conn *c = &conns[i];
        c->fd = -1;
        c->state = C_QUEUED;
        c->source = opt.nsources ? i % opt.nsources : -1;
        c->out_cap = out_cap;
        c->out = malloc(out_cap);
        if (opt.mode == MODE_ECHO || opt.mode == MODE_LATENCY) c->sent_at = malloc(sizeof(uint64_t) * ring_cap);
        enqueue(c);
    }
    enum { MAX_EVENTS = 512 };
    static struct epoll_event evs[MAX_EVENTS];
    double setup_s = setup(evs, MAX_EVENTS);
    int rc = 0;

    if (opt.mode == MODE_IDLE) {
        /* interrupted: stdin closed or a signal came before every connection was up */
        printf("{\"event\":\"ready\",\"mode\":\"idle\",\"connections\":%d,\"requested\":%d,\"setup_s\":%.3f,"
               "\"interrupted\":%s,", open_now, opt.connections, setup_s, stop_signal ? "true" : "false");
        print_errors();
        printf("}\n");
        fflush(stdout);
        double start = now_s();
        while (!stop_signal && now_s() - start < opt.hold) poll_once(evs, MAX_EVENTS, opt.hold - (now_s() - start));
        double held = now_s() - start;
        int still_open = open_now;
        close_all();
        printf("{\"event\":\"done\",\"mode\":\"idle\",\"connections\":%d,\"still_open_at_end\":%d,\"held_s\":%.3f,",
               opened, still_open, held);
        print_errors();
        printf("}\n");
        return errors_total() ? 3 : 0;
    }

    sending = 1;
    if (opt.mode == MODE_ECHO) {
        /* every open connection starts with --inflight messages, then one more per echo */
        for (int i = 0; i < opt.connections; i++) {
            conn *c = &conns[i];
            if (c->state != C_OPEN) continue;
            c->to_send = (uint32_t)opt.inflight;
            flush(c);
        }
    } else if (opt.mode == MODE_BROADCAST && opt.rate <= 0) {
        /* closed loop: --inflight messages outstanding, one more each time the publisher's copy returns */
        for (int i = 0; i < opt.inflight; i++) publish(now_ns());
        if (conns[0].state == C_OPEN) flush(&conns[0]);
    } else {
        /* open loop: the schedule starts now */
        precise_wait = 1;
        prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0); /* 1 us: sleeps end close to the next due send */
        sched_t0 = now_ns();
    }
    run_for(evs, MAX_EVENTS, opt.warmup);
    long long server0 = opt.server_pid ? proc_cpu_ticks(opt.server_pid) : -1;
    long long self0 = proc_cpu_ticks("self");
    long long wait0 = opt.server_pid ? proc_runqueue_wait_ns(opt.server_pid) : -1;
    long long self_wait0 = proc_runqueue_wait_ns("self");
    double m0 = now_s();
    measuring = 1;
    run_for(evs, MAX_EVENTS, opt.duration);
    measuring = 0;
    double m1 = now_s();
    long long server1 = opt.server_pid ? proc_cpu_ticks(opt.server_pid) : -1;
    long long self1 = proc_cpu_ticks("self");
    long long wait1 = opt.server_pid ? proc_runqueue_wait_ns(opt.server_pid) : -1;
    long long self_wait1 = proc_runqueue_wait_ns("self");
    sending = 0;
    int still_open = open_now, ever = opened, publisher_open = conns[0].state == C_OPEN;
    if (opt.mode == MODE_BROADCAST) {
        /* connections and open_at_end count subscribers; the publisher is reported on its own */
        ever = still_open = 0;
        for (int i = 1; i < opt.connections; i++) {
            ever += conns[i].ever_open;
            still_open += conns[i].state == C_OPEN;
        }
    }
    close_all();

    double secs = m1 - m0;
    double tck = (double)sysconf(_SC_CLK_TCK);
    static const char *mode_names[] = {"echo", "idle", "latency", "broadcast"};
    printf("{\"mode\":\"%s\",\"size\":%zu,\"type\":\"%s\",\"connections\":%d,\"open_at_end\":%d,\"inflight\":%d,"
           "\"warmup_s\":%.3f,\"messages\":%llu,\"seconds\":%.4f,\"msgs_per_sec\":%.1f,"
           "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f,\"mean_us\":%.1f,",
           mode_names[opt.mode], opt.size, opt.binary ? "binary" : "text", ever, still_open, opt.inflight, opt.warmup,
           (unsigned long long)messages, secs, (double)messages / secs, hist_percentile(hist, 50) / 1000.0,
           hist_percentile(hist, 90) / 1000.0, hist_percentile(hist, 99) / 1000.0, hist_percentile(hist, 99.9) / 1000.0,
           (double)hist->max / 1000.0, hist->total ? hist->sum / (double)hist->total / 1000.0 : 0.0);
    if (opt.mode == MODE_LATENCY || (opt.mode == MODE_BROADCAST && opt.rate > 0))
        printf("\"target_rate\":%.1f,\"sent\":%llu,\"sent_per_sec\":%.1f,\"tick_us\":%.1f,\"burst\":%d,\"send_lag_p50_us\":%.1f,"
               "\"send_lag_p99_us\":%.1f,\"send_lag_max_us\":%.1f,",
               opt.rate, (unsigned long long)sent_measured, (double)sent_measured / secs, opt.tick_us, opt.burst,
               hist_percentile(lag_hist, 50) / 1000.0, hist_percentile(lag_hist, 99) / 1000.0,
               (double)lag_hist->max / 1000.0);
    if (opt.mode == MODE_BROADCAST)
        printf("\"subscribers\":%d,\"publisher_open_at_end\":%s,\"published\":%llu,\"published_per_sec\":%.1f,"
               "\"deliveries_per_sec\":%.1f,",
               opt.connections - 1, publisher_open ? "true" : "false", (unsigned long long)sent_measured,
               (double)sent_measured / secs, (double)messages / secs);
    printf("\"clk_tck\":%.0f,\"loadgen_cpu_ticks\":%lld,\"loadgen_cpu_s\":%.3f,", tck, self1 - self0,
           (double)(self1 - self0) / tck);
    if (opt.server_pid && server0 >= 0 && server1 >= 0)
        printf("\"server_pid\":%s,\"server_cpu_ticks\":%lld,\"server_cpu_s\":%.3f,", opt.server_pid, server1 - server0,
               (double)(server1 - server0) / tck);
    else if (opt.server_pid)
        printf("\"server_pid\":%s,\"server_cpu_ticks\":null,\"server_cpu_s\":null,", opt.server_pid);
    if (self_wait0 >= 0 && self_wait1 >= 0) printf("\"loadgen_runqueue_wait_s\":%.3f,", (double)(self_wait1 - self_wait0) * 1e-9);
    if (wait0 >= 0 && wait1 >= 0) printf("\"server_runqueue_wait_s\":%.3f,", (double)(wait1 - wait0) * 1e-9);
    print_errors();
    printf(",\"setup_s\":%.3f,\"interrupted\":%s}\n", setup_s, stop_signal ? "true" : "false");
    if (errors_total() || opened < opt.connections) rc = 3;
    return rc;
}
