import type { Locale } from './records.js';

/**
 * The Intl locale for dates and numbers in each language. Arabic: Iraqi month names
 * (تشرين الثاني) with the Latin digits the Arabic texts use; Sorani: Eastern Arabic digits, as
 * its texts use.
 */
export const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', ar: 'ar-IQ-u-nu-latn', ckb: 'ckb' };
