/** The UCI Car Evaluation columns and their values, in the data set's order. */
export const BUYING_VALUES = ['vhigh', 'high', 'med', 'low'] as const;
export type Buying = (typeof BUYING_VALUES)[number];

export const FEATURE_VALUES = {
  maint: ['vhigh', 'high', 'med', 'low'],
  doors: ['2', '3', '4', '5more'],
  persons: ['2', '4', 'more'],
  lug_boot: ['small', 'med', 'big'],
  safety: ['low', 'med', 'high'],
  class: ['unacc', 'acc', 'good', 'vgood'],
} as const;

export type Feature = keyof typeof FEATURE_VALUES;
export const FEATURES = Object.keys(FEATURE_VALUES) as Feature[];

/** A car described by the six predictors; a missing key means "not given". */
export type CarFeatures = Partial<Record<Feature, string>>;

/** One row of car.data. */
export interface CarRow {
  buying: Buying;
  features: Record<Feature, string>;
}

/** Column order of car.data (no header). */
export const CSV_COLUMNS = ['buying', ...FEATURES] as const;

const LEVEL_ALIASES: Record<string, string> = {
  'very high': 'vhigh',
  'v-high': 'vhigh',
  very_high: 'vhigh',
  veryhigh: 'vhigh',
  medium: 'med',
  middle: 'med',
};

const ALIASES: Record<Feature, Record<string, string>> = {
  maint: LEVEL_ALIASES,
  doors: { '5': '5more', '5+': '5more', more: '5more', '5 or more': '5more' },
  persons: { more: 'more', '5more': 'more', '5+': 'more', '4+': 'more', 'more than 4': 'more' },
  lug_boot: { medium: 'med', large: 'big' },
  safety: { medium: 'med' },
  class: {
    unacceptable: 'unacc',
    acceptable: 'acc',
    'very good': 'vgood',
    'v-good': 'vgood',
    very_good: 'vgood',
  },
};

/** What the API accepts besides the data set's own spellings, for error messages. */
export const ACCEPTED_VARIANTS: Record<Feature, string> = {
  maint: 'any letter case, "very high", "medium"',
  doors: 'numbers 2, 3, 4 and 5 or more (as 5more), "5+", "more"',
  persons: 'numbers 2 and 4, more than 4 (as more), "5more", "5+"',
  lug_boot: 'any letter case, "medium", "large"',
  safety: 'any letter case, "medium"',
  class: 'any letter case, "unacceptable", "acceptable", "very good"',
};

/**
 * Maps a user's spelling onto the data set's value, or returns undefined when it is not one.
 * Numbers count as their decimal text; whole numbers above the top door/person level mean "more".
 */
export function normaliseValue(feature: Feature, raw: unknown): string | undefined {
  const allowed: readonly string[] = FEATURE_VALUES[feature];
  if (typeof raw === 'number') return wholeNumber(feature, raw, allowed);
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (allowed.includes(text)) return text;
  const alias = ALIASES[feature][text];
  if (alias && allowed.includes(alias)) return alias;
  return /^\d+$/.test(text) ? wholeNumber(feature, Number(text), allowed) : undefined;
}

function wholeNumber(feature: Feature, value: number, allowed: readonly string[]) {
  if (!Number.isInteger(value)) return undefined;
  if (feature === 'doors' && value >= 5) return '5more';
  if (feature === 'persons' && value >= 5) return 'more';
  return allowed.includes(String(value)) ? String(value) : undefined;
}
