/** Understanding typed messages: the one entry point the flow uses (understand.ts). */
export { understand, type ShownChoice, type SocialAct, type Understanding, type UnderstandOptions } from './understand.js';
export { readQuestion } from './question.js';
