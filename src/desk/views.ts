/**
 * Server-rendered pages through Eta (desk/views/*.eta): every `<%= %>` is HTML-escaped (autoEscape
 * on, the default); `<%~ %>` (raw) is used only for the layout's body, itself rendered escaped.
 * Templates are compiled once and cached.
 */
import { Eta } from 'eta';
import { projectPath } from '../config/paths.js';

export const VIEWS_DIR = projectPath('desk', 'views');

export function createViews(): Eta {
  return new Eta({ views: VIEWS_DIR, autoEscape: true, cache: true, autoTrim: [false, 'nl'] });
}
