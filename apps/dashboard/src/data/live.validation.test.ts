import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Country } from '../countries/country-catalog';
import { LiveValidationError, parseCountryStatus } from './live.validation';

const entry = (name: string, code: string): Country => ({
  name,
  id: code,
  code,
  slug: name.toLowerCase(),
  kind: 'country',
  population: 1_000_000,
  lat: '0',
  lon: '0',
});
const singapore = entry('Singapore', 'SG');
const australia = entry('Australia', 'AU');

const element = (date: string, cases: number, extra: Record<string, unknown> = {}) => ({
  Country: 'Singapore',
  CountryCode: 'SG',
  Province: '',
  City: '',
  CityCode: '',
  Lat: '1.35',
  Lon: '103.82',
  Cases: cases,
  Status: 'confirmed',
  Date: `${date}T00:00:00Z`,
  ...extra,
});

describe('parseCountryStatus', () => {
  it('accepts Lat/Lon as strings (later responses) or numbers (early responses)', () => {
    const days = parseCountryStatus(
      [
        element('2020-04-29', 15_641),
        {
          Country: 'Singapore',
          Province: '',
          Lat: 1.35,
          Lon: 103.82,
          Cases: 16_169,
          Status: 'confirmed',
          Date: '2020-04-30T00:00:00Z',
        },
      ],
      singapore,
      'confirmed',
    );
    assert.deepEqual(days, [
      { date: '2020-04-29', cases: 15_641 },
      { date: '2020-04-30', cases: 16_169 },
    ]);
  });

  it('sums province rows when there is no country-level row', () => {
    const days = parseCountryStatus(
      [
        {
          ...element('2020-04-30', 10),
          Country: 'Australia',
          CountryCode: 'AU',
          Province: 'Victoria',
        },
        {
          ...element('2020-04-30', 5),
          Country: 'Australia',
          CountryCode: 'AU',
          Province: 'Queensland',
        },
      ],
      australia,
      'confirmed',
    );
    assert.deepEqual(days, [{ date: '2020-04-30', cases: 15 }]);
  });

  for (const [name, body, pattern] of [
    ['a non-array body', { message: 'busy' }, /expected a JSON array/],
    ['an empty array', [], /empty array/],
    ['a text count', [element('2020-04-30', 1, { Cases: '12' })], /element 0, field Cases/],
    [
      'a negative count',
      [element('2020-04-30', -1)],
      /element 0, field Cases: must not be negative/,
    ],
    [
      'a non-numeric latitude',
      [element('2020-04-30', 1, { Lat: 'north' })],
      /element 0, field Lat/,
    ],
    [
      'a latitude out of range',
      [element('2020-04-30', 1, { Lat: 91 })],
      /field Lat: must be between -90 and 90/,
    ],
    [
      'a date that is not midnight UTC',
      [element('2020-04-30', 1, { Date: '2020-04-30' })],
      /field Date/,
    ],
    ['an impossible date', [element('2021-02-30', 1)], /"2021-02-30T00:00:00Z" is not a real date/],
    [
      'another status',
      [element('2020-04-30', 1, { Status: 'deaths' })],
      /field Status: expected "confirmed"/,
    ],
    [
      'another country',
      [element('2020-04-30', 1, { CountryCode: 'MY' })],
      /field CountryCode: expected "SG"/,
    ],
    [
      'a missing day',
      [element('2020-04-28', 1), element('2020-04-30', 2)],
      /no element for 2020-04-29/,
    ],
    [
      'a repeated day',
      [element('2020-04-30', 1), element('2020-04-30', 2)],
      /two country-level elements/,
    ],
  ] as const) {
    it(`rejects ${name}, saying where`, () => {
      assert.throws(
        () => parseCountryStatus(body, singapore, 'confirmed'),
        (error: Error) => error instanceof LiveValidationError && pattern.test(error.message),
      );
    });
  }
});
