/** `country`: a country or territory. `other`: cruise ships, Olympic games, Antarctica. */
export type CountryKind = 'country' | 'other';

/** One Country/Region entry of the JHU global time series, with its identity and population. */
export interface Country {
  /** Exactly as JHU writes it (`Korea, South`, `Taiwan*`, `Cote d'Ivoire`). */
  name: string;
  /** Stable identifier for URLs: the ISO 3166-1 alpha-2 code, else the slug. */
  id: string;
  /** ISO 3166-1 alpha-2, as covid19api.com's `CountryCode`; null for ships and games. */
  code: string | null;
  /** covid19api.com slug (`/country/{slug}/...`). */
  slug: string;
  kind: CountryKind;
  /** From JHU's lookup table; null when the table has none (said so, left out of per million). */
  population: number | null;
  /** Approximate centroid, as strings like covid19api.com's later responses. */
  lat: string;
  lon: string;
}

/**
 * Country/Region entries that are not countries. They are kept apart in the picker and never
 * mixed silently into comparisons; JHU's lookup table gives none of them a population.
 */
export const NOT_COUNTRIES: ReadonlySet<string> = new Set([
  'Antarctica',
  'Diamond Princess',
  'MS Zaandam',
  'Summer Olympics 2020',
  'Winter Olympics 2022',
]);

/**
 * ISO 3166-1 alpha-2 codes of entries the lookup table (as of 2020-05-19) does not list, because
 * they first appear in the series later. Without them their URLs would have to use slugs.
 */
export const CODES_MISSING_FROM_LOOKUP: Readonly<Record<string, string>> = {
  Antarctica: 'AQ',
  Kiribati: 'KI',
  'Korea, North': 'KP',
  'Marshall Islands': 'MH',
  Micronesia: 'FM',
  Nauru: 'NR',
  Palau: 'PW',
  Samoa: 'WS',
  'Solomon Islands': 'SB',
  Tonga: 'TO',
  Tuvalu: 'TV',
  Vanuatu: 'VU',
};

/** covid19api.com slugs that are not simply the slug of the JHU name. */
const SLUG_OVERRIDES: Readonly<Record<string, string>> = { US: 'united-states' };

/** `Korea, South` → `korea-south`, `Cote d'Ivoire` → `cote-d-ivoire`, `Taiwan*` → `taiwan`. */
export function slugOf(name: string): string {
  return (
    SLUG_OVERRIDES[name] ??
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
  );
}

/** Every entry of the data, found by JHU name, ISO alpha-2 code or slug, in any case. */
export class CountryCatalog {
  private readonly byKey = new Map<string, Country>();

  constructor(readonly all: readonly Country[]) {
    for (const country of all) {
      for (const key of [country.name, country.slug, country.code]) {
        if (key) this.byKey.set(key.toLowerCase(), country);
      }
    }
  }

  find(key: string): Country | undefined {
    return this.byKey.get(key.trim().toLowerCase());
  }

  /**
   * Splits an old-style comma list (`Singapore,Korea, South`) into entries: a piece that is no
   * entry on its own is joined with the pieces after it while that makes a known name.
   */
  parseList(text: string): { countries: Country[]; unknown: string[] } {
    const pieces = text.split(',');
    const countries: Country[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < pieces.length; i++) {
      let found: Country | undefined;
      let end = i;
      for (let j = i; j < pieces.length && !found; j++) {
        found = this.find(pieces.slice(i, j + 1).join(','));
        end = j;
      }
      if (found) {
        if (!countries.includes(found)) countries.push(found);
        i = end;
      } else if (pieces[i].trim()) {
        unknown.push(pieces[i].trim());
      }
    }
    return { countries, unknown };
  }
}
