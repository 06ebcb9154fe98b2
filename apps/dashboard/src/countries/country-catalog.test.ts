import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Country, CountryCatalog, slugOf } from './country-catalog';

const entry = (name: string, code: string | null): Country => ({
  name,
  id: code ?? slugOf(name),
  code,
  slug: slugOf(name),
  kind: code ? 'country' : 'other',
  population: code ? 1_000_000 : null,
  lat: '0',
  lon: '0',
});

const catalog = new CountryCatalog([
  entry('Singapore', 'SG'),
  entry('Korea, South', 'KR'),
  entry('Korea, North', 'KP'),
  entry("Cote d'Ivoire", 'CI'),
  entry('Congo (Kinshasa)', 'CD'),
  entry('US', 'US'),
  entry('MS Zaandam', null),
]);

describe('CountryCatalog', () => {
  it('finds an entry by JHU name, ISO code or slug, in any case', () => {
    for (const key of ['Korea, South', 'kr', 'KR', 'korea-south', ' korea, south ']) {
      assert.equal(catalog.find(key)?.name, 'Korea, South', key);
    }
    assert.equal(catalog.find('united-states')?.name, 'US');
    assert.equal(catalog.find('ms-zaandam')?.id, 'ms-zaandam');
  });

  it('splits old comma lists where names contain commas', () => {
    const { countries, unknown } = catalog.parseList(
      "Singapore,Korea, South,Cote d'Ivoire,Congo (Kinshasa),Narnia,KP",
    );
    assert.deepEqual(
      countries.map((c) => c.id),
      ['SG', 'KR', 'CI', 'CD', 'KP'],
    );
    assert.deepEqual(unknown, ['Narnia']);
  });

  it('makes slugs of names with commas, apostrophes, brackets and accents', () => {
    assert.equal(slugOf('Korea, South'), 'korea-south');
    assert.equal(slugOf("Cote d'Ivoire"), 'cote-d-ivoire');
    assert.equal(slugOf('Congo (Kinshasa)'), 'congo-kinshasa');
    assert.equal(slugOf('Taiwan*'), 'taiwan');
    assert.equal(slugOf('Curaçao'), 'curacao');
  });
});
