/**
 * The word lists and grammar of TPC-H clause 4.2.2.14, from which comment text is drawn
 * (written from the specification's text; every choice is uniform here, where the specification
 * weights some productions).
 */
// prettier-ignore
const NOUNS = [
  'foxes', 'ideas', 'theodolites', 'pinto beans', 'instructions', 'dependencies', 'excuses',
  'platelets', 'asymptotes', 'courts', 'dolphins', 'multipliers', 'sauternes', 'warthogs', 'frets',
  'dinos', 'attainments', 'somas', "Tiresias'", 'patterns', 'forges', 'braids', 'hockey players',
  'frays', 'warhorses', 'dugouts', 'notornis', 'epitaphs', 'pearls', 'tithes', 'waters', 'orbits',
  'gifts', 'sheaves', 'depths', 'sentiments', 'decoys', 'realms', 'pains', 'grouches', 'escapades',
];
// prettier-ignore
const VERBS = [
  'sleep', 'wake', 'are', 'cajole', 'haggle', 'nag', 'use', 'boost', 'affix', 'detect', 'integrate',
  'maintain', 'nod', 'was', 'lose', 'sublate', 'solve', 'thrash', 'promise', 'engage', 'hinder',
  'print', 'x-ray', 'breach', 'eat', 'grow', 'impress', 'mold', 'poach', 'serve', 'run', 'dazzle',
  'snooze', 'doze', 'unwind', 'kindle', 'play', 'hang', 'believe', 'doubt',
];
// prettier-ignore
const ADJECTIVES = [
  'furious', 'sly', 'careful', 'blithe', 'quick', 'fluffy', 'slow', 'quiet', 'ruthless', 'thin',
  'close', 'dogged', 'daring', 'brave', 'stealthy', 'permanent', 'enticing', 'idle', 'busy',
  'regular', 'final', 'ironic', 'even', 'bold', 'silent',
];
// prettier-ignore
const ADVERBS = [
  'sometimes', 'always', 'never', 'furiously', 'slyly', 'carefully', 'blithely', 'quickly',
  'fluffily', 'slowly', 'quietly', 'ruthlessly', 'thinly', 'closely', 'doggedly', 'daringly',
  'bravely', 'stealthily', 'permanently', 'enticingly', 'idly', 'busily', 'regularly', 'finally',
  'ironically', 'evenly', 'boldly', 'silently',
];
// prettier-ignore
const PREPOSITIONS = [
  'about', 'above', 'according to', 'across', 'after', 'against', 'along', 'alongside of', 'among',
  'around', 'at', 'atop', 'before', 'behind', 'beneath', 'beside', 'besides', 'between', 'beyond',
  'by', 'despite', 'during', 'except', 'for', 'from', 'in place of', 'inside', 'instead of', 'into',
  'near', 'of', 'on', 'outside', 'over', 'past', 'since', 'through', 'throughout', 'to', 'toward',
  'under', 'until', 'up', 'upon', 'without', 'with', 'within',
];
// prettier-ignore
const AUXILIARIES = [
  'do', 'may', 'might', 'shall', 'will', 'would', 'can', 'could', 'should', 'ought to', 'must',
  'will have to', 'shall have to', 'could have to', 'should have to', 'must have to', 'need to',
  'try to',
];
const TERMINATORS = ['.', ';', ':', '?', '!', '--'];

type Random = () => number;

const pick = (random: Random, words: readonly string[]) =>
  words[Math.floor(random() * words.length)];

function nounPhrase(random: Random): string {
  switch (Math.floor(random() * 4)) {
    case 0:
      return pick(random, NOUNS);
    case 1:
      return `${pick(random, ADJECTIVES)} ${pick(random, NOUNS)}`;
    case 2:
      return `${pick(random, ADJECTIVES)}, ${pick(random, ADJECTIVES)} ${pick(random, NOUNS)}`;
    default:
      return `${pick(random, ADVERBS)} ${pick(random, ADJECTIVES)} ${pick(random, NOUNS)}`;
  }
}

function verbPhrase(random: Random): string {
  switch (Math.floor(random() * 4)) {
    case 0:
      return pick(random, VERBS);
    case 1:
      return `${pick(random, AUXILIARIES)} ${pick(random, VERBS)}`;
    case 2:
      return `${pick(random, VERBS)} ${pick(random, ADVERBS)}`;
    default:
      return `${pick(random, AUXILIARIES)} ${pick(random, VERBS)} ${pick(random, ADVERBS)}`;
  }
}

const prepositionalPhrase = (random: Random) =>
  `${pick(random, PREPOSITIONS)} the ${nounPhrase(random)}`;

function sentence(random: Random): string {
  const end = pick(random, TERMINATORS);
  switch (Math.floor(random() * 5)) {
    case 0:
      return `${nounPhrase(random)} ${verbPhrase(random)}${end}`;
    case 1:
      return `${nounPhrase(random)} ${verbPhrase(random)} ${prepositionalPhrase(random)}${end}`;
    case 2:
      return `${nounPhrase(random)} ${verbPhrase(random)} ${nounPhrase(random)}${end}`;
    case 3:
      return `${nounPhrase(random)} ${prepositionalPhrase(random)} ${verbPhrase(random)} ${nounPhrase(random)}${end}`;
    default:
      return `${nounPhrase(random)} ${prepositionalPhrase(random)} ${verbPhrase(random)} ${prepositionalPhrase(random)}${end}`;
  }
}

/**
 * The text pool comments are cut from (clause 4.2.2.10: a text string is a substring of the pool at
 * a random offset, so it may begin or end with a space or in the middle of a word). The
 * specification's pool is 300 MB; a smaller one gives the same kind of text.
 */
export function textPool(random: Random, size: number): string {
  const sentences: string[] = [];
  let length = 0;
  while (length < size) {
    const next = sentence(random);
    sentences.push(next);
    length += next.length + 1;
  }
  return sentences.join(' ').slice(0, size);
}
