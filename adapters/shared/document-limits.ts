/**
 * How much work one document may cost, checked before the work is done (README, "What the bot
 * guarantees"). A contribution is about 250 words (the flow takes at most 6,000 characters in one
 * message): every limit here is far above what a real contribution needs and far below what hurts.
 */

/** Telegram's getFile serves at most 20 MB; the same cap keeps any platform's download bounded. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/** Extracted text beyond this many characters is refused as it is read (never counted in words). */
export const MAX_DOCUMENT_CHARS = 50_000;

/** A PDF with more pages is refused from its page count, before any page is read. */
export const MAX_PDF_PAGES = 50;

/** All of a PDF's compressed streams together may inflate to this much (measured, nothing kept). */
export const MAX_PDF_INFLATED_BYTES = 64 * 1024 * 1024;

/** A .docx: entries in the archive, what they declare together, and what its text part may inflate to. */
export const DOCX_LIMITS = { maxEntries: 1000, maxTotalBytes: 128 * 1024 * 1024, maxEntryBytes: 8 * 1024 * 1024 };

/** One extraction's time, and its worker's heap, before it is stopped. */
export const EXTRACTION_TIME_LIMIT_MS = 5_000;
export const EXTRACTION_HEAP_MB = 96;

/** Extractions at once: each worker holds a PDF engine and its document. Others wait their turn. */
export const MAX_CONCURRENT_EXTRACTIONS = 2;
