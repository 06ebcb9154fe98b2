import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeQuarterSelections, QuarterData, quarterOfMinute } from './selection.rules';

/**
 * One campaign (id 1) described per banner: [bannerId, clicks, revenue of each conversion...].
 * Each conversion hangs on one of the banner's clicks.
 */
function campaign(
  banners: Array<[number, number, ...number[]]>,
  extra: Partial<QuarterData> = {},
): QuarterData {
  const data: QuarterData = { impressions: [], clicks: [], conversions: [] };
  let clickId = 0;
  for (const [bannerId, clicks, ...revenues] of banners) {
    data.impressions.push({ campaignId: 1, bannerId });
    const first = clickId + 1;
    for (let c = 0; c < Math.max(clicks, revenues.length); c++) {
      data.clicks.push({ clickId: String(++clickId), campaignId: 1, bannerId });
    }
    revenues.forEach((revenue, i) =>
      data.conversions.push({ clickId: String(first + i), revenueMicros: revenue * 1e6 }),
    );
  }
  return {
    impressions: [...data.impressions, ...(extra.impressions ?? [])],
    clicks: [...data.clicks, ...(extra.clicks ?? [])],
    conversions: [...data.conversions, ...(extra.conversions ?? [])],
  };
}

const select = (data: QuarterData, version = 1) => {
  const [selection] = computeQuarterSelections(1, data, version);
  return selection;
};

/** `n` banners with ids from 101, each converting with revenue 10*(n-i) (so 101 earns most). */
const converting = (n: number): Array<[number, number, ...number[]]> =>
  Array.from({ length: n }, (_, i) => [101 + i, 1, 10 * (n - i)] as [number, number, number]);

/** `n` banners with ids from 201 that were seen but never clicked. */
const unclicked = (n: number): Array<[number, number]> =>
  Array.from({ length: n }, (_, i) => [201 + i, 0]);

describe('selection rules', () => {
  it('maps minutes to quarters at the 15-minute boundaries', () => {
    assert.deepEqual(
      [0, 14, 15, 29, 30, 44, 45, 59].map(quarterOfMinute),
      [1, 1, 2, 2, 3, 3, 4, 4],
    );
  });

  it('X = 11: the top 10 by revenue', () => {
    const s = select(campaign([...converting(11), ...unclicked(3)]));
    assert.equal(s.rule, 'top10');
    assert.equal(s.convertingBanners, 11);
    assert.deepEqual(s.bannerIds, [101, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
  });

  it('X = 10: all ten converting banners, by revenue', () => {
    const s = select(campaign([...converting(10), [300, 50]]));
    assert.equal(s.rule, 'top10');
    assert.deepEqual(s.bannerIds, [101, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
  });

  it('X = 9 and X = 5: the top X by revenue, nothing else even if clicked more', () => {
    const nine = select(campaign([...converting(9), [300, 50]]));
    assert.equal(nine.rule, 'top-x');
    assert.deepEqual(nine.bannerIds, [101, 102, 103, 104, 105, 106, 107, 108, 109]);
    const five = select(campaign([...converting(5), [300, 50], ...unclicked(4)]));
    assert.equal(five.rule, 'top-x');
    assert.deepEqual(five.bannerIds, [101, 102, 103, 104, 105]);
  });

  it('X = 4: the 4 converting banners then the most clicked other one', () => {
    const s = select(campaign([...converting(4), [300, 2], [301, 7], [302, 5], ...unclicked(2)]));
    assert.equal(s.rule, 'revenue-then-clicks');
    assert.deepEqual(s.bannerIds, [101, 102, 103, 104, 301]);
  });

  it('X = 1: the converting banner, then the most clicked, then random others to make 5', () => {
    const data = campaign([[101, 1, 5], [300, 9], [301, 3], ...unclicked(6)]);
    const s = select(data);
    assert.equal(s.rule, 'revenue-then-clicks');
    assert.deepEqual(s.bannerIds.slice(0, 3), [101, 300, 301]);
    assert.equal(s.bannerIds.length, 5);
    assert.equal(new Set(s.bannerIds).size, 5);
    for (const id of s.bannerIds.slice(3)) assert.ok(id >= 201 && id <= 206);
    // Fixed per data version: the same version gives the same padding.
    assert.deepEqual(select(data).bannerIds, s.bannerIds);
  });

  it('the random padding changes with the data version and is spread over the candidates', () => {
    const data = campaign([[101, 1, 5], ...unclicked(20)]);
    const paddings = new Set<string>();
    const seen = new Set<number>();
    for (let version = 1; version <= 30; version++) {
      const ids = select(data, version).bannerIds.slice(1);
      paddings.add(ids.join(','));
      ids.forEach((id) => seen.add(id));
    }
    assert.ok(paddings.size > 20);
    assert.ok(seen.size > 15);
  });

  it('X = 0: the top 5 by clicks', () => {
    const s = select(
      campaign([[301, 3], [302, 8], [303, 1], [304, 8], [305, 2], [306, 5], ...unclicked(2)]),
    );
    assert.equal(s.rule, 'clicks');
    assert.equal(s.convertingBanners, 0);
    assert.deepEqual(s.bannerIds, [302, 304, 306, 301, 305]);
  });

  it('X = 0 with fewer than 5 clicked banners: padded with random unclicked banners', () => {
    const s = select(campaign([[301, 3], [302, 8], ...unclicked(6)]));
    assert.deepEqual(s.bannerIds.slice(0, 2), [302, 301]);
    assert.equal(new Set(s.bannerIds).size, 5);
  });

  it('no clicks at all: 5 random banners of the campaign', () => {
    const s = select(campaign(unclicked(9)));
    assert.equal(s.rule, 'clicks');
    assert.equal(new Set(s.bannerIds).size, 5);
    for (const id of s.bannerIds) assert.ok(id >= 201 && id <= 209);
  });

  it('fewer than 5 banners in all: serves what it has', () => {
    assert.deepEqual(
      select(
        campaign([
          [101, 1, 5],
          [300, 2],
          [201, 0],
        ]),
      ).bannerIds,
      [101, 300, 201],
    );
    assert.deepEqual(select(campaign([[201, 0]])).bannerIds, [201]);
  });

  it('ties at the cut-off: conversions, then clicks, then the lower banner id decide', () => {
    const banners: Array<[number, number, ...number[]]> = [
      ...Array.from({ length: 9 }, (_, i) => [101 + i, 1, 100] as [number, number, number]),
      [150, 1, 20], // same revenue as 151-152 but in one conversion
      [152, 1, 10, 10], // 2 conversions, 2 clicks
      [151, 3, 10, 10], // 2 conversions, 3 clicks
      [153, 3, 10, 10], // same as 151 but a higher id
    ];
    const s = select(campaign(banners));
    assert.deepEqual(s.bannerIds.slice(9), [151]);
    const byClicks = select(
      campaign([
        [305, 4],
        [304, 4],
        [303, 4],
        [302, 4],
        [301, 4],
        [300, 4],
      ]),
    );
    assert.deepEqual(byClicks.bannerIds, [300, 301, 302, 303, 304]);
  });

  it('conversions of unknown clicks do not count until the click is known', () => {
    const base = campaign([[101, 1, 5], [300, 9], ...unclicked(4)]);
    const orphan = { clickId: '999', revenueMicros: 1000 * 1e6 };
    const before = select({ ...base, conversions: [...base.conversions, orphan] });
    assert.equal(before.convertingBanners, 1);
    assert.equal(before.bannerIds[0], 101);
    const after = select({
      ...base,
      clicks: [...base.clicks, { clickId: '999', campaignId: 1, bannerId: 201 }],
      conversions: [...base.conversions, orphan],
    });
    assert.equal(after.convertingBanners, 2);
    assert.deepEqual(after.bannerIds.slice(0, 2), [201, 101]);
  });

  it('keeps campaigns apart', () => {
    const selections = computeQuarterSelections(
      2,
      {
        impressions: [
          { campaignId: 7, bannerId: 1 },
          { campaignId: 8, bannerId: 2 },
        ],
        clicks: [{ clickId: '1', campaignId: 8, bannerId: 1 }],
        conversions: [],
      },
      1,
    );
    assert.deepEqual(
      selections.map((s) => [s.campaignId, s.bannerIds]),
      [
        [7, [1]],
        [8, [1, 2]],
      ],
    );
  });
});
