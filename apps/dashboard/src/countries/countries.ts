/** One of the countries the shipped JHU snapshot covers, with its covid19api.com identity. */
export interface Country {
  /** Exactly as JHU writes it (the CSV's `country` column). */
  name: string;
  /** covid19api.com slug (`/country/{slug}/...`). */
  slug: string;
  /** ISO 3166-1 alpha-2, as covid19api.com's `CountryCode`. */
  code: string;
  /** Approximate centroid, as strings like covid19api.com's later responses. */
  lat: string;
  lon: string;
}

/** The 17 countries of the snapshot, in the order the CSV lists them. */
export const COUNTRIES: readonly Country[] = [
  { name: 'Singapore', slug: 'singapore', code: 'SG', lat: '1.28', lon: '103.83' },
  { name: 'Malaysia', slug: 'malaysia', code: 'MY', lat: '4.21', lon: '101.98' },
  { name: 'Indonesia', slug: 'indonesia', code: 'ID', lat: '-0.79', lon: '113.92' },
  { name: 'Thailand', slug: 'thailand', code: 'TH', lat: '15.87', lon: '100.99' },
  { name: 'Philippines', slug: 'philippines', code: 'PH', lat: '12.88', lon: '121.77' },
  { name: 'Vietnam', slug: 'vietnam', code: 'VN', lat: '14.06', lon: '108.28' },
  { name: 'Japan', slug: 'japan', code: 'JP', lat: '36.2', lon: '138.25' },
  { name: 'Korea, South', slug: 'korea-south', code: 'KR', lat: '35.91', lon: '127.77' },
  { name: 'Australia', slug: 'australia', code: 'AU', lat: '-25.27', lon: '133.78' },
  { name: 'New Zealand', slug: 'new-zealand', code: 'NZ', lat: '-40.9', lon: '174.89' },
  { name: 'India', slug: 'india', code: 'IN', lat: '20.59', lon: '78.96' },
  { name: 'China', slug: 'china', code: 'CN', lat: '35.86', lon: '104.2' },
  { name: 'United Kingdom', slug: 'united-kingdom', code: 'GB', lat: '55.38', lon: '-3.44' },
  { name: 'US', slug: 'united-states', code: 'US', lat: '37.09', lon: '-95.71' },
  { name: 'Germany', slug: 'germany', code: 'DE', lat: '51.17', lon: '10.45' },
  { name: 'France', slug: 'france', code: 'FR', lat: '46.23', lon: '2.21' },
  { name: 'Italy', slug: 'italy', code: 'IT', lat: '41.87', lon: '12.57' },
];

const byKey = new Map<string, Country>();
for (const country of COUNTRIES) {
  for (const key of [country.name, country.slug, country.code])
    byKey.set(key.toLowerCase(), country);
}

/** Finds a country by JHU name, covid19api slug or ISO code, ignoring case. */
export function findCountry(key: string): Country | undefined {
  return byKey.get(key.trim().toLowerCase());
}
