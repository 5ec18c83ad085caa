/**
 * How long a contribution's text may be, in characters. Its own file so the text step and the
 * submit steps share it without importing each other.
 */
// One message of a contribution: 250 words are ~1,500–2,000 characters in English, Arabic or
// Sorani; a message several times that is a paste gone wrong, not a contribution.
export const MAX_PART_CHARS = 6000;
export const MAX_DRAFT_CHARS = 12000;
