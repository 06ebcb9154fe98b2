import { seededRandom, shuffle } from '../selection/selection.rules';

export interface DemoOptions {
  campaigns: number;
  banners: number;
  impressionsPerQuarter: number;
  seed: string;
}

export const DEMO_DEFAULTS: DemoOptions = {
  campaigns: 50,
  banners: 400,
  impressionsPerQuarter: 150_000,
  seed: 'banner-demo',
};

/** The rule each demo campaign is built to fall into, by campaign id modulo 5. */
const PROFILES = ['x>=10', 'x5-9', 'x1-4', 'x0', 'few'] as const;
type Profile = (typeof PROFILES)[number];

export interface DemoQuarter {
  impressions: string;
  clicks: string;
  conversions: string;
}

/**
 * Realistic, reproducible CSVs for the four quarters: every campaign id modulo 5 picks a profile
 * (X >= 10, 5-9, 1-4, 0, and fewer than 5 banners), varied per quarter so each dataset differs.
 * The same options always produce the same bytes, so regenerating never re-imports.
 */
export function generateDemo(options: DemoOptions = DEMO_DEFAULTS): DemoQuarter[] {
  return [1, 2, 3, 4].map((quarter) => generateQuarter(options, quarter));
}

function generateQuarter(options: DemoOptions, quarter: number): DemoQuarter {
  const random = seededRandom(`${options.seed}:${quarter}`);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const allBanners = Array.from({ length: options.banners }, (_, i) => i + 1);
  const campaigns = Array.from({ length: options.campaigns }, (_, i) => {
    const campaignId = i + 1;
    const profile: Profile = PROFILES[(campaignId + quarter) % PROFILES.length];
    const size = profile === 'few' ? int(2, 4) : profile === 'x>=10' ? int(12, 25) : int(8, 20);
    const banners = shuffle([...allBanners], random).slice(0, size);
    const converting =
      profile === 'x>=10'
        ? int(10, Math.min(size, 15))
        : profile === 'x5-9'
          ? int(5, 9)
          : profile === 'x1-4'
            ? int(1, 4)
            : profile === 'few'
              ? int(0, size)
              : 0;
    // X = 0 campaigns sometimes have fewer than 5 clicked banners, to exercise the padding.
    const clicked =
      profile === 'x0' && campaignId % 2 === 0
        ? int(1, 4)
        : profile === 'x1-4' && campaignId % 3 === 0
          ? converting
          : size;
    return {
      campaignId,
      banners,
      converting: Math.min(converting, size),
      clicked: Math.max(Math.min(clicked, size), Math.min(converting, size)),
      weight: 0.5 + random() * 2,
    };
  });
  const totalWeight = campaigns.reduce((sum, c) => sum + c.weight, 0);

  const impressions: string[] = ['banner_id,campaign_id'];
  const clicks: string[] = ['click_id,banner_id,campaign_id'];
  const conversions: string[] = ['conversion_id,click_id,revenue'];
  let clickId = 0;
  let conversionId = 0;
  for (const campaign of campaigns) {
    const count = Math.round((options.impressionsPerQuarter * campaign.weight) / totalWeight);
    for (let i = 0; i < count; i++) {
      const bannerId = campaign.banners[Math.floor(random() * campaign.banners.length)];
      impressions.push(`${bannerId},${campaign.campaignId}`);
    }
    campaign.banners.slice(0, campaign.clicked).forEach((bannerId, rank) => {
      const bannerClicks = int(3, 40) + (campaign.clicked - rank);
      for (let c = 0; c < bannerClicks; c++) {
        clickId += 1;
        clicks.push(`${clickId},${bannerId},${campaign.campaignId}`);
        if (rank < campaign.converting && (c === 0 || random() < 0.15)) {
          conversionId += 1;
          conversions.push(`${conversionId},${clickId},${(1 + random() * 99).toFixed(2)}`);
        }
      }
    });
  }
  // Impressions arrive in time order in real logs, not grouped by campaign.
  const impressionRows = shuffle(impressions.slice(1), random);
  return {
    impressions: [impressions[0], ...impressionRows].join('\n') + '\n',
    clicks: clicks.join('\n') + '\n',
    conversions: conversions.join('\n') + '\n',
  };
}
