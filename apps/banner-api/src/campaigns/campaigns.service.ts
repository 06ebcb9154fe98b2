import { randomBytes, randomUUID } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { BannerApiConfig } from '../config';
import { CLOCK, Clock, QuarterClock } from '../selection/clock';
import { Quarter } from '../selection/selection.rules';
import { SelectionSnapshot, SelectionStore } from '../selection/selection.store';
import {
  cookieName,
  nextVisitorHeader,
  readEntry,
  signedToken,
  VISITOR_COOKIE_MAX_AGE,
} from './visitor-cookie';

/** One banner of a campaign with every byte it is served with, prepared once per data version. */
interface ServedBanner {
  bannerId: number;
  json: string;
  html: string;
  token: string;
  setCookie: string;
}

interface ServedCampaign {
  cookieName: string;
  banners: ServedBanner[];
  /** Signed token -> index in `banners`, to recognise the last banner without any crypto. */
  byToken: Map<string, number>;
}

/** What the hot route answers with: status, content type, body and extra headers. */
export interface CampaignAnswer {
  status: number;
  html: boolean;
  body: string;
  setCookie?: string;
  visitorId?: string;
  /** Correlation id of an error answer. */
  requestId?: string;
}

const QUARTER_MINUTES = ['', '0-14', '15-29', '30-44', '45-59'];
const MAX_ID = 2_147_483_647;
const ID = /^[0-9]{1,10}$/;

/**
 * Serves `GET /campaigns/:campaignId` from memory: picks uniformly at random among the campaign's
 * banners for the current quarter, excluding the one the visitor's signed cookie (or X-Visitor-Id)
 * says it got last time. No database, no logging, no allocation beyond the answer.
 */
@Injectable()
export class CampaignsService {
  private readonly logger = new Logger(CampaignsService.name);
  private readonly secret: string;
  private readonly quarterClock: QuarterClock;
  /** Index 1..4; replaced as a whole when the selections change. */
  private served: ReadonlyArray<ReadonlyMap<number, ServedCampaign>> = [];

  constructor(
    @Inject(APP_CONFIG) config: BannerApiConfig,
    @Inject(CLOCK) clock: Clock,
    private readonly store: SelectionStore,
  ) {
    if (!config.BANNER_COOKIE_SECRET) {
      this.logger.warn(
        'BANNER_COOKIE_SECRET is not set: using a per-process key, so replicas will not honour each other’s visitor cookies',
      );
    }
    this.secret = config.BANNER_COOKIE_SECRET ?? randomBytes(32).toString('base64url');
    this.quarterClock = new QuarterClock(clock);
    store.subscribe((snapshot) => (this.served = this.prepare(snapshot)));
  }

  currentQuarter(): Quarter {
    return this.quarterClock.current();
  }

  /** Campaign ids and collections of the current quarter (for operators and the benchmark). */
  list(): {
    quarter: Quarter;
    campaigns: Array<{ campaignId: number; bannerIds: number[]; rule: string }>;
  } {
    const quarter = this.currentQuarter();
    const selections = this.store.snapshot.quarters[quarter];
    return {
      quarter,
      campaigns: [...selections.values()].map(({ campaignId, bannerIds, rule }) => ({
        campaignId,
        bannerIds,
        rule,
      })),
    };
  }

  serve(rawId: string, headers: IncomingHttpHeaders): CampaignAnswer {
    const accept = headers.accept;
    const html = accept !== undefined && accept.includes('text/html');
    const visitor = headers['x-visitor-id'] as string | undefined;
    const campaignId = ID.test(rawId) ? Number(rawId) : NaN;
    if (!(campaignId >= 1 && campaignId <= MAX_ID)) {
      return failure(
        headers,
        400,
        html,
        `campaignId must be a whole number between 1 and ${MAX_ID} (got "${rawId.slice(0, 40)}")`,
      );
    }
    const quarter = this.currentQuarter();
    const campaigns = this.served[quarter];
    if (campaigns === undefined || campaigns.size === 0) {
      return failure(
        headers,
        503,
        html,
        `No data for dataset ${quarter} (minutes ${QUARTER_MINUTES[quarter]}): import impressions_${quarter}.csv, clicks_${quarter}.csv and conversions_${quarter}.csv`,
      );
    }
    const campaign = campaigns.get(campaignId);
    if (campaign === undefined) {
      return failure(
        headers,
        404,
        html,
        `Campaign ${campaignId} has no banners in dataset ${quarter}`,
      );
    }
    const banners = campaign.banners;
    const last = campaign.byToken.get(
      (visitor !== undefined
        ? readEntry(visitor, campaign.cookieName)
        : readEntry(headers.cookie, campaign.cookieName)) ?? '',
    );
    let index: number;
    if (last === undefined || banners.length === 1) {
      index = Math.floor(Math.random() * banners.length);
    } else {
      index = Math.floor(Math.random() * (banners.length - 1));
      if (index >= last) index += 1;
    }
    const banner = banners[index];
    const body = html ? banner.html : banner.json;
    if (visitor !== undefined) {
      const next = nextVisitorHeader(visitor, campaign.cookieName, banner.token);
      if (next !== undefined) return { status: 200, html, body, visitorId: next };
    }
    return { status: 200, html, body, setCookie: banner.setCookie };
  }

  private prepare(snapshot: SelectionSnapshot): Array<Map<number, ServedCampaign>> {
    return snapshot.quarters.map((selections, quarter) => {
      const campaigns = new Map<number, ServedCampaign>();
      for (const { campaignId, bannerIds } of selections.values()) {
        const name = cookieName(campaignId);
        const banners = bannerIds.map((bannerId): ServedBanner => {
          const token = signedToken(this.secret, campaignId, bannerId);
          const imageUrl = `/images/image_${bannerId}.png`;
          return {
            bannerId,
            json: JSON.stringify({ campaignId, bannerId, quarter, imageUrl }),
            html: bannerPage(campaignId, bannerId, quarter),
            token,
            setCookie: `${name}=${token}; Path=/campaigns/${campaignId}; Max-Age=${VISITOR_COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax`,
          };
        });
        campaigns.set(campaignId, {
          cookieName: name,
          banners,
          byToken: new Map(banners.map((banner, index) => [banner.token, index])),
        });
      }
      return campaigns;
    });
  }
}

const REQUEST_ID = /^[\w.-]{1,128}$/;

/** Same JSON error shape as the rest of the app, with the caller's X-Request-Id when sane. */
function failure(
  headers: IncomingHttpHeaders,
  status: number,
  html: boolean,
  message: string,
): CampaignAnswer {
  const given = headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  const error =
    { 400: 'Bad Request', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
  const body = html
    ? `<!doctype html><meta charset="utf-8"><title>${error}</title><h1>${error}</h1><p>${escapeHtml(message)}</p>`
    : JSON.stringify({ statusCode: status, error, message, correlationId: requestId });
  return { status, html, body, requestId };
}

function bannerPage(campaignId: number, bannerId: number, quarter: number): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Campaign ${campaignId}: banner ${bannerId}</title>` +
    `<style>body{font-family:system-ui,sans-serif;margin:2rem;text-align:center}</style></head><body>` +
    `<img src="/images/image_${bannerId}.png" alt="Banner ${bannerId}" width="600" height="150">` +
    `<p>Banner <strong>${bannerId}</strong> of campaign ${campaignId} (dataset ${quarter})</p></body></html>`
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
