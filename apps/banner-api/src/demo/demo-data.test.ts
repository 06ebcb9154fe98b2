import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeQuarterSelections, Quarter, QuarterData } from '../selection/selection.rules';
import { DEMO_DEFAULTS, DemoQuarter, generateDemo } from './demo-data';

const rowsOf = (text: string): string[][] =>
  text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

function parseQuarter(quarter: DemoQuarter): QuarterData {
  const pairs = new Set(
    rowsOf(quarter.impressions).map(([banner, campaign]) => `${campaign}:${banner}`),
  );
  return {
    impressions: [...pairs].map((pair) => {
      const [campaignId, bannerId] = pair.split(':').map(Number);
      return { campaignId, bannerId };
    }),
    clicks: rowsOf(quarter.clicks).map(([clickId, bannerId, campaignId]) => ({
      clickId,
      bannerId: Number(bannerId),
      campaignId: Number(campaignId),
    })),
    conversions: rowsOf(quarter.conversions).map(([, clickId, revenue]) => ({
      clickId,
      revenueMicros: Math.round(Number(revenue) * 1e6),
    })),
  };
}

describe('demo data generator', () => {
  const quarters = generateDemo();

  it('is reproducible byte for byte, so regenerating never re-imports, and varies by quarter', () => {
    assert.deepEqual(generateDemo(), quarters);
    assert.equal(new Set(quarters.map((q) => q.impressions)).size, 4);
    assert.notDeepEqual(generateDemo({ ...DEMO_DEFAULTS, seed: 'other' })[0], quarters[0]);
  });

  it('writes the import headers and the configured volume: campaigns, banners, impressions', () => {
    for (const quarter of quarters) {
      assert.ok(quarter.impressions.startsWith('banner_id,campaign_id\n'));
      assert.ok(quarter.clicks.startsWith('click_id,banner_id,campaign_id\n'));
      assert.ok(quarter.conversions.startsWith('conversion_id,click_id,revenue\n'));
      const impressions = rowsOf(quarter.impressions);
      // Each campaign's share is rounded on its own: at most half an impression off per campaign.
      assert.ok(
        Math.abs(impressions.length - DEMO_DEFAULTS.impressionsPerQuarter) <=
          DEMO_DEFAULTS.campaigns / 2,
        `${impressions.length} impressions`,
      );
      assert.equal(
        new Set(impressions.map(([, campaign]) => campaign)).size,
        DEMO_DEFAULTS.campaigns,
      );
      for (const [banner] of impressions) {
        const id = Number(banner);
        assert.ok(Number.isInteger(id) && id >= 1 && id <= DEMO_DEFAULTS.banners, banner);
      }
    }
  });

  it('keeps ids consistent: unique click and conversion ids, every conversion of a known click, revenues with cents', () => {
    for (const quarter of quarters) {
      const clicks = rowsOf(quarter.clicks);
      const clickIds = new Set(clicks.map(([id]) => id));
      assert.equal(clickIds.size, clicks.length);
      const conversions = rowsOf(quarter.conversions);
      assert.equal(new Set(conversions.map(([id]) => id)).size, conversions.length);
      for (const [, clickId, revenue] of conversions) {
        assert.ok(clickIds.has(clickId), `conversion of unknown click ${clickId}`);
        assert.match(revenue, /^\d+\.\d{2}$/);
      }
      // Every click belongs to a banner its campaign showed.
      const shown = new Set(rowsOf(quarter.impressions).map(([b, c]) => `${c}:${b}`));
      for (const [, banner, campaign] of clicks) assert.ok(shown.has(`${campaign}:${banner}`));
    }
  });

  it('puts campaigns under every selection rule in every quarter, padding and small campaigns included', () => {
    for (const [index, quarter] of quarters.entries()) {
      const data = parseQuarter(quarter);
      const selections = computeQuarterSelections((index + 1) as Quarter, data, 1);
      const rules = new Set(selections.map((s) => s.rule));
      assert.deepEqual(
        [...rules].sort(),
        ['clicks', 'revenue-then-clicks', 'top-x', 'top10'],
        `quarter ${index + 1}`,
      );
      const bannersPerCampaign = new Map<number, number>();
      for (const { campaignId } of data.impressions)
        bannersPerCampaign.set(campaignId, (bannersPerCampaign.get(campaignId) ?? 0) + 1);
      const clickedPerCampaign = new Map<number, Set<number>>();
      for (const { campaignId, bannerId } of data.clicks)
        clickedPerCampaign.set(
          campaignId,
          (clickedPerCampaign.get(campaignId) ?? new Set()).add(bannerId),
        );
      // Fewer than 5 banners: the campaign serves them all.
      const small = selections.filter((s) => bannersPerCampaign.get(s.campaignId)! < 5);
      assert.ok(small.length > 0, 'a campaign with fewer than 5 banners');
      for (const s of small) assert.equal(s.bannerIds.length, bannersPerCampaign.get(s.campaignId));
      // X = 0 with fewer than 5 clicked banners: random padding up to 5.
      assert.ok(
        selections.some(
          (s) =>
            s.rule === 'clicks' &&
            bannersPerCampaign.get(s.campaignId)! >= 5 &&
            (clickedPerCampaign.get(s.campaignId)?.size ?? 0) < 5,
        ),
        'an X = 0 campaign that needs padding',
      );
    }
  });
});
