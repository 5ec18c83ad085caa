/**
 * What a typed message means, decided once: a choice on screen (by number, label or yes/no), a
 * greeting, thanks or "ok", one of the questions about the call, a menu action, a number that
 * only looks like a choice (at the text step), or nothing this component knows — in which case
 * the step takes it as its answer (a name, a part of the text) or says what can be done.
 *
 * The order is the order of certainty: an exact choice cannot be mistaken; yes/no and the social
 * words are closed lists; a question is a classifier's reading with a confidence; a menu action a
 * pattern. The flow reads the result and never guesses again (src/flow/choice-match.ts).
 */
import { foldForMatching, hasWordCharacter } from '../domain/match-text.js';
import { menuActionOf, type MenuAction } from '../domain/menu-intent.js';
import type { FaqTopic } from '../domain/faq.js';
import { choiceByLabel, choiceFromButtonText, choiceNumber, isBareNumber, type ShownChoice } from './choices.js';
import { readQuestion } from './question.js';
import { socialAct, yesOrNo } from './social.js';
import { GREETINGS_THAT_ARE_NAMES, type SocialAct } from './lexicon.js';

export type { ShownChoice } from './choices.js';
export type { SocialAct } from './lexicon.js';

export type Understanding =
  | { kind: 'choice'; id: string; via: 'number' | 'label' | 'yes' | 'no' | 'button' }
  /** A bare number where numbers are text (the text step) that is also a shown choice's number. */
  | { kind: 'number'; n: number; id: string }
  | { kind: 'social'; act: SocialAct }
  | { kind: 'question'; topic: FaqTopic; confidence: number }
  | { kind: 'menu'; action: MenuAction }
  | { kind: 'none' };

export interface UnderstandOptions {
  /** The choices on screen, in order. */
  choices: ShownChoice[];
  /** Whether a bare number picks a choice; at the text step a number is text. */
  numbers: boolean;
  /** The text step: only a clear, short question is a question. */
  textStep?: boolean;
  /** The text is a button's visible text (a press the step does not know): a number in front is its number. */
  fromButton?: boolean;
  /** The menu is on screen: words that name one of its actions are that action. */
  menu?: boolean;
  /** A name is asked: a greeting that is also a name («سلام», Hala) is the name. */
  nameAsked?: boolean;
  /** The terms are asked: "ok" agrees. */
  okIsYes?: boolean;
  /**
   * Where no yes/no question is asked but one choice is what a yes means (the menu's "Review the
   * terms" after declining them): "yes", "I agree to the terms" pick it.
   */
  yesMeans?: string;
}

/** The yes and no choices of a yes/no question: ids ending in `:yes` and `:no`. */
function yesNoChoices(choices: ShownChoice[]): { yes: string; no: string } | null {
  const yes = choices.find((c) => c.id.endsWith(':yes'));
  const no = choices.find((c) => c.id.endsWith(':no'));
  return yes && no ? { yes: yes.id, no: no.id } : null;
}

export function understand(text: string, opts: UnderstandOptions): Understanding {
  const { choices } = opts;
  const n = choiceNumber(text, choices.length);
  if (n !== null && opts.numbers) return { kind: 'choice', id: choices[n - 1]!.id, via: 'number' };
  // Where numbers are text, "2." heads a paragraph; a "2" alone is asked about.
  if (n !== null && isBareNumber(text)) return { kind: 'number', n, id: choices[n - 1]!.id };
  const labelled = opts.fromButton ? choiceFromButtonText(text, choices) : choiceByLabel(text, choices);
  if (labelled) return { kind: 'choice', id: labelled, via: opts.fromButton ? 'button' : 'label' };
  const yn = yesNoChoices(choices);
  const said = yn ? yesOrNo(text, opts.okIsYes ?? false) : null;
  if (yn && said) return { kind: 'choice', id: yn[said], via: said };
  if (!yn && opts.yesMeans && choices.some((c) => c.id === opts.yesMeans) && yesOrNo(text, false) === 'yes') return { kind: 'choice', id: opts.yesMeans, via: 'yes' };
  // Where text is asked for, an emoji alone gets the step's own answer ("a name needs a letter");
  // where a name is asked, «سلام» alone is Salam.
  const nameLike = opts.nameAsked && GREETINGS_THAT_ARE_NAMES.has(foldForMatching(text));
  const act = (opts.textStep && !hasWordCharacter(text)) || nameLike ? null : socialAct(text);
  if (act) return { kind: 'social', act };
  const q = readQuestion(text, { textStep: opts.textStep });
  if (q) return { kind: 'question', ...q };
  const action = opts.menu && !opts.textStep ? menuActionOf(text) : null;
  if (action) return { kind: 'menu', action };
  return { kind: 'none' };
}
