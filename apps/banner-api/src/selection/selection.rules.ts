/**
 * The business rules that turn one quarter's raw events into the banners each campaign serves.
 * Pure functions: the importer runs them once per data version and stores the result.
 */

export type Quarter = 1 | 2 | 3 | 4;

/** What one quarter holds: banners seen in impressions, clicks, and conversions (revenue in millionths). */
export interface QuarterData {
  /** Distinct (campaign, banner) pairs of the impressions. */
  impressions: Array<{ campaignId: number; bannerId: number }>;
  clicks: Array<{ clickId: string; campaignId: number; bannerId: number }>;
  conversions: Array<{ clickId: string; revenueMicros: number }>;
}

export interface BannerStats {
  bannerId: number;
  clicks: number;
  conversions: number;
  revenueMicros: number;
}

export type SelectionRule = 'top10' | 'top-x' | 'revenue-then-clicks' | 'clicks';

export interface CampaignSelection {
  campaignId: number;
  bannerIds: number[];
  rule: SelectionRule;
  /** X: banners of the campaign with at least one conversion. */
  convertingBanners: number;
}

const COLLECTION_MIN = 5;
const COLLECTION_MAX = 10;

/** Revenue desc, then conversions desc, then clicks desc, then the lower banner id. */
export const byRevenue = (a: BannerStats, b: BannerStats): number =>
  b.revenueMicros - a.revenueMicros ||
  b.conversions - a.conversions ||
  b.clicks - a.clicks ||
  a.bannerId - b.bannerId;

/** Clicks desc, then the lower banner id. */
export const byClicks = (a: BannerStats, b: BannerStats): number =>
  b.clicks - a.clicks || a.bannerId - b.bannerId;

/**
 * Per campaign: every banner it showed or that was clicked, with clicks and the revenue of the
 * conversions whose click is known. Conversions of unknown clicks are left out until the click
 * arrives (they stay stored, so a later clicks import makes them count).
 */
export function aggregateQuarter(data: QuarterData): Map<number, Map<number, BannerStats>> {
  const campaigns = new Map<number, Map<number, BannerStats>>();
  const statsOf = (campaignId: number, bannerId: number): BannerStats => {
    let banners = campaigns.get(campaignId);
    if (!banners) campaigns.set(campaignId, (banners = new Map()));
    let stats = banners.get(bannerId);
    if (!stats)
      banners.set(bannerId, (stats = { bannerId, clicks: 0, conversions: 0, revenueMicros: 0 }));
    return stats;
  };
  for (const { campaignId, bannerId } of data.impressions) statsOf(campaignId, bannerId);
  const clickOwner = new Map<string, BannerStats>();
  for (const click of data.clicks) {
    const stats = statsOf(click.campaignId, click.bannerId);
    stats.clicks += 1;
    clickOwner.set(click.clickId, stats);
  }
  for (const conversion of data.conversions) {
    const stats = clickOwner.get(conversion.clickId);
    if (!stats) continue;
    stats.conversions += 1;
    stats.revenueMicros += conversion.revenueMicros;
  }
  return campaigns;
}

/**
 * The collection of one campaign (see README, "Rules"):
 * X >= 10: top 10 by revenue; 5..9: top X by revenue; 1..4: top X by revenue, then the most
 * clicked others, then random others up to 5; 0: top 5 by clicks, then random others up to 5.
 * A campaign with fewer than 5 banners serves all of them. `seed` fixes the random padding.
 */
export function selectBanners(
  campaignId: number,
  banners: BannerStats[],
  seed: string,
): CampaignSelection {
  const converting = banners.filter((b) => b.conversions > 0).sort(byRevenue);
  const x = converting.length;
  if (x >= COLLECTION_MIN) {
    const top = converting.slice(0, COLLECTION_MAX).map((b) => b.bannerId);
    return {
      campaignId,
      bannerIds: top,
      rule: x >= COLLECTION_MAX ? 'top10' : 'top-x',
      convertingBanners: x,
    };
  }
  const chosen = converting.map((b) => b.bannerId);
  const taken = new Set(chosen);
  const clicked = banners.filter((b) => b.clicks > 0 && !taken.has(b.bannerId)).sort(byClicks);
  for (const banner of clicked) {
    if (chosen.length >= COLLECTION_MIN) break;
    chosen.push(banner.bannerId);
    taken.add(banner.bannerId);
  }
  if (chosen.length < COLLECTION_MIN) {
    const others = banners
      .map((b) => b.bannerId)
      .filter((id) => !taken.has(id))
      .sort((a, b) => a - b);
    shuffle(others, seededRandom(seed));
    chosen.push(...others.slice(0, COLLECTION_MIN - chosen.length));
  }
  return {
    campaignId,
    bannerIds: chosen,
    rule: x > 0 ? 'revenue-then-clicks' : 'clicks',
    convertingBanners: x,
  };
}

/**
 * Every campaign's collection for one quarter from raw events (the reference the tests use; the
 * importer gets the same per-banner figures from PostgreSQL and calls selectionsFromStats).
 */
export function computeQuarterSelections(
  quarter: Quarter,
  data: QuarterData,
  dataVersion: number,
): CampaignSelection[] {
  const campaigns = new Map(
    [...aggregateQuarter(data)].map(([campaignId, banners]) => [campaignId, [...banners.values()]]),
  );
  return selectionsFromStats(quarter, campaigns, dataVersion);
}

/** Every campaign's collection; the padding seed is `<dataVersion>:<quarter>:<campaignId>`. */
export function selectionsFromStats(
  quarter: Quarter,
  campaigns: ReadonlyMap<number, BannerStats[]>,
  dataVersion: number,
): CampaignSelection[] {
  return [...campaigns]
    .sort(([a], [b]) => a - b)
    .map(([campaignId, banners]) =>
      selectBanners(campaignId, banners, `${dataVersion}:${quarter}:${campaignId}`),
    );
}

/** Mulberry32 seeded from the FNV-1a hash of the seed: small, fast and reproducible. */
export function seededRandom(seed: string): () => number {
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates in place. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Minutes 0-14 -> 1, 15-29 -> 2, 30-44 -> 3, 45-59 -> 4. */
export const quarterOfMinute = (minute: number): Quarter =>
  (Math.floor(minute / 15) + 1) as Quarter;
