/**
 * The platforms the bot talks on. A plain list the domain, the flow and storage share; the core
 * re-exports it (src/core/types.ts) with the shapes adapters use.
 */
export const PLATFORMS = ['telegram', 'messenger', 'slack', 'whatsapp', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];
