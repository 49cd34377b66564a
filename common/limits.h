/* Every size and count limit of winnow, in one place.
 *
 * Inputs are hostile: each limit bounds memory or time for one page, one
 * rule file or one response. Change them here, never inline. */
#ifndef WN_LIMITS_H
#define WN_LIMITS_H

/* Largest page, after gunzip and before charset conversion. A larger input
 * is cut at this size and parsed (the article is nearly always near the
 * start), and the record says so in `truncated`. */
#define WN_MAX_PAGE_BYTES (8u * 1024u * 1024u)

/* Largest compressed input file read by `winnow extract`. */
#define WN_MAX_FILE_BYTES (64u * 1024u * 1024u)

/* Gumbo's tree costs 5-50 bytes per input byte (real pages stay near
 * the low end); the arena that holds it refuses to grow past this, and the
 * page is parsed again from a shorter prefix. */
#define WN_MAX_ARENA_BYTES (256u * 1024u * 1024u)

/* Estimated element nesting beyond which a page is cut before parsing:
 * Gumbo's cost grows with the square of the depth. */
#define WN_MAX_PARSE_DEPTH 5000u

/* Bytes scanned for <meta charset> (HTML's prescan uses 1024; pages often
 * put a long <head> first). */
#define WN_CHARSET_PRESCAN_BYTES 4096u

/* Deepest element nesting that the extractor descends into; deeper
 * content is still counted for text but treated as one run. */
#define WN_MAX_DOM_DEPTH 4096u

/* Most DOM nodes kept from one page; the rest are ignored. */
#define WN_MAX_DOM_NODES 2000000u

/* JSON-LD scripts parsed per page, and bytes per script. */
#define WN_MAX_JSONLD_SCRIPTS 16u
#define WN_MAX_JSONLD_BYTES (1024u * 1024u)

/* Bytes of text in one record's boilerplate list; later entries are
 * dropped once it is full and the record says so. */
#define WN_MAX_BOILERPLATE_BYTES (512u * 1024u)

/* Related links kept per record. */
#define WN_MAX_RELATED 500u

/* Length of a metadata string (title, author, description ...). */
#define WN_MAX_META_BYTES 4096u

/* Length of a URL kept in a record. */
#define WN_MAX_URL_BYTES 8192u

#endif
