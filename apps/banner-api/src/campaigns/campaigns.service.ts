import { hash, randomUUID } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { BANNER_SECRETS } from '../auth/import-token.guard';
import { BannerSecrets } from '../auth/secrets';
import { BannerApiConfig } from '../config';
import { CLOCK, Clock, QuarterClock } from '../selection/clock';
import { Quarter } from '../selection/selection.rules';
import { SelectionSnapshot, SelectionStore } from '../selection/selection.store';
import { rotationOf } from './rotation';
import {
  cookieName,
  nextVisitorHeader,
  readEntry,
  signedToken,
  VISITOR_COOKIE_MAX_AGE,
} from './visitor-cookie';

/** One banner of a campaign with the bodies it is served with, prepared once per data version. */
interface ServedBanner {
  bannerId: number;
  json: string;
  html: string;
}

/** A visitor's place in the rotation: which order, which position, and what comes next. */
interface RotationState {
  banner: ServedBanner;
  token: string;
  setCookie: string;
  /** The states that may come next: one inside a round, the allowed first states of the next round at its end. */
  next: RotationState[];
}

interface ServedCampaign {
  campaignId: number;
  cookieName: string;
  bannerIds: number[];
  banners: ServedBanner[];
  /** Built on the first request for the campaign (HMACs of every state), then reused. */
  table?: { starts: RotationState[]; byToken: Map<string, RotationState> };
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
  /** The client asked for an image (`Accept: image/*`): answer with this banner's image instead of `body`. */
  imageOf?: number;
}

const QUARTER_MINUTES = ['', '0-14', '15-29', '30-44', '45-59'];
const MAX_ID = 2_147_483_647;
const ID = /^[0-9]{1,10}$/;
/** Visitors without a cookie or X-Visitor-Id remembered per process (by hashed IP + User-Agent). */
const FALLBACK_VISITORS = 50_000;

/**
 * Serves `GET /campaigns/:campaignId` from memory. Each visitor goes through the campaign's whole
 * collection in a random order before any repeat, and never gets the same banner twice in a row,
 * also across rounds (rotation.ts). The visitor carries its place, signed, in a cookie (or
 * X-Visitor-Id); without either, a per-process memory keyed by HMAC(secret, IP + User-Agent)
 * stands in. No database and no per-request crypto for a visitor with a cookie: every state's
 * token and Set-Cookie are computed once per collection.
 */
@Injectable()
export class CampaignsService {
  private readonly secret: string;
  private readonly cookieAttributes: string;
  private readonly quarterClock: QuarterClock;
  /** Index 1..4; replaced as a whole when the selections change. */
  private served: ReadonlyArray<ReadonlyMap<number, ServedCampaign>> = [];
  /** The snapshot's selections `served` was prepared from, per quarter. */
  private sources: SelectionSnapshot['quarters'] = [];
  /** Hashed client key + campaign -> token of the last state (insertion order = age). */
  private readonly fallback = new Map<string, string>();

  constructor(
    @Inject(APP_CONFIG) config: BannerApiConfig,
    @Inject(BANNER_SECRETS) secrets: BannerSecrets,
    @Inject(CLOCK) clock: Clock,
    private readonly store: SelectionStore,
  ) {
    this.secret = secrets.cookieSecret;
    // Inside a cross-site ad iframe a cookie needs SameSite=None, which browsers only keep with Secure (HTTPS).
    this.cookieAttributes =
      config.BANNER_COOKIE_SAMESITE === 'none'
        ? 'HttpOnly; SameSite=None; Secure'
        : `HttpOnly; SameSite=${config.BANNER_COOKIE_SAMESITE === 'strict' ? 'Strict' : 'Lax'}`;
    this.quarterClock = new QuarterClock(
      clock,
      config.BANNER_TIME_ZONE,
      config.BANNER_FIXED_QUARTER,
    );
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

  serve(rawId: string, headers: IncomingHttpHeaders, clientAddress = ''): CampaignAnswer {
    const accept = headers.accept;
    const html = accept !== undefined && accept.includes('text/html');
    const image = !html && accept !== undefined && accept.includes('image/');
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
    const table = (campaign.table ??= this.rotationTable(campaign));
    const token =
      visitor !== undefined
        ? readEntry(visitor, campaign.cookieName)
        : readEntry(headers.cookie, campaign.cookieName);
    let fallbackKey: string | undefined;
    let last = token === undefined ? undefined : table.byToken.get(token);
    if (last === undefined && visitor === undefined) {
      fallbackKey = this.clientKey(clientAddress, headers['user-agent'], campaignId);
      const remembered = this.fallback.get(fallbackKey);
      if (remembered !== undefined) last = table.byToken.get(remembered);
    }
    const choices = last === undefined ? table.starts : last.next;
    const state =
      choices.length === 1 ? choices[0] : choices[Math.floor(Math.random() * choices.length)];
    if (fallbackKey !== undefined) this.remember(fallbackKey, state.token);
    const body = html ? state.banner.html : state.banner.json;
    const imageOf = image ? state.banner.bannerId : undefined;
    if (visitor !== undefined) {
      const next = nextVisitorHeader(visitor, campaign.cookieName, state.token);
      if (next !== undefined) return { status: 200, html, body, visitorId: next, imageOf };
    }
    return { status: 200, html, body, setCookie: state.setCookie, imageOf };
  }

  /**
   * SHA-256 of the secret, address, User-Agent and campaign: no one can map it back without the
   * secret. It is only a key of this process's memory and never leaves it, so the one-shot hash is
   * enough (an HMAC object per request cost 4 times as much: README, "Performance").
   */
  private clientKey(address: string, userAgent: string | undefined, campaignId: number): string {
    return hash(
      'sha256',
      `${this.secret}\n${address}\n${userAgent ?? ''}\n${campaignId}`,
      'base64url',
    );
  }

  private remember(key: string, token: string): void {
    this.fallback.delete(key);
    this.fallback.set(key, token);
    if (this.fallback.size > FALLBACK_VISITORS)
      this.fallback.delete(this.fallback.keys().next().value!);
  }

  /** Every (order, position) state of the campaign's rotation with its signed token and cookie. */
  private rotationTable(campaign: ServedCampaign): NonNullable<ServedCampaign['table']> {
    const { orders, follows } = rotationOf(campaign.campaignId, campaign.bannerIds);
    const collection = campaign.bannerIds.join(',');
    const states = orders.map((order, k) =>
      order.map((index, position): RotationState => {
        const token = signedToken(
          this.secret,
          `${campaign.campaignId}:${collection}:${k}:${position}`,
          `${k}.${position}`,
        );
        return {
          banner: campaign.banners[index],
          token,
          setCookie: `${campaign.cookieName}=${token}; Path=/campaigns/${campaign.campaignId}; Max-Age=${VISITOR_COOKIE_MAX_AGE}; ${this.cookieAttributes}`,
          next: [],
        };
      }),
    );
    states.forEach((round, k) =>
      round.forEach((state, position) => {
        state.next =
          position + 1 < round.length ? [round[position + 1]] : follows[k].map((j) => states[j][0]);
      }),
    );
    return {
      starts: states.map((round) => round[0]),
      byToken: new Map(states.flat().map((state) => [state.token, state])),
    };
  }

  /**
   * The served campaigns of a new snapshot. A quarter the reload did not touch keeps its map, and
   * a campaign whose collection did not change keeps its bodies and rotation table, so a publish
   * costs the serving thread only what changed (no burst of HMACs on the next requests).
   */
  private prepare(snapshot: SelectionSnapshot): Array<ReadonlyMap<number, ServedCampaign>> {
    const before = { served: this.served, sources: this.sources };
    this.sources = snapshot.quarters;
    return snapshot.quarters.map((selections, quarter) => {
      if (selections === before.sources[quarter]) return before.served[quarter];
      const campaigns = new Map<number, ServedCampaign>();
      for (const { campaignId, bannerIds } of selections.values()) {
        const kept = before.served[quarter]?.get(campaignId);
        if (kept && sameIds(kept.bannerIds, bannerIds)) {
          campaigns.set(campaignId, kept);
          continue;
        }
        campaigns.set(campaignId, {
          campaignId,
          cookieName: cookieName(campaignId),
          bannerIds,
          banners: bannerIds.map((bannerId) => ({
            bannerId,
            json: JSON.stringify({
              campaignId,
              bannerId,
              quarter,
              imageUrl: `/images/image_${bannerId}.png`,
            }),
            html: bannerPage(campaignId, bannerId, quarter),
          })),
        });
      }
      return campaigns;
    });
  }
}

const sameIds = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((id, i) => id === b[i]);

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
