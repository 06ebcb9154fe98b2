import { Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { SalesDbConfig } from '../config';
import { TooManyAttemptsException } from '../database/pg-errors';
import { CredentialsRepository } from './credentials.repository';
import { LoginThrottle } from './login-throttle';
import { credentialKey, hashPassword, verifyPassword } from './password';
import { SalesUser } from './teams';

interface Verified {
  user: SalesUser;
  verifiedAt: number;
}

/** Credentials cached at most (a verified entry holds no password, only a digest as its key). */
const MAX_CACHED = 10_000;
/** A cached credential is re-checked in the background once this share of its lifetime has passed. */
const REFRESH_AFTER = 0.8;

/**
 * Checks HTTP Basic credentials against the scrypt hashes `add-user` stored. PostgreSQL's own
 * password check cannot be relied on (servers with trust auth accept any password).
 *
 * - scrypt is slow on purpose (about 25 ms and 16 MiB), so a verified credential is cached. The
 *   cache cannot outlive a change: every request checks, in its own database round trip, that
 *   the stored hash is still the one verified (sales.require_credential).
 * - One scrypt per credential at a time: concurrent requests with the same credential wait for
 *   that one check, and a cached credential is refreshed in the background before it expires,
 *   so an expiry never stalls the requests using it. The refresh reads the stored hash and runs
 *   scrypt again only if it changed: the same password against the same hash gives the same
 *   answer, and each run costs a core 25 ms and 16 MiB while requests wait for CPU.
 * - Unknown user names are checked against a dummy hash, so they answer as slowly as wrong
 *   passwords and names cannot be told apart by timing.
 * - Failed logins are throttled per user name and per client address (429 with Retry-After).
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly verified = new Map<string, Verified>();
  private readonly inFlight = new Map<string, Promise<SalesUser>>();
  private readonly throttle: LoginThrottle;
  private readonly ttlMs: number;
  private dummyHash?: Promise<string>;

  constructor(
    private readonly credentials: CredentialsRepository,
    @Inject(APP_CONFIG) config: SalesDbConfig,
  ) {
    this.ttlMs = config.SALES_AUTH_CACHE_SECONDS * 1000;
    this.throttle = new LoginThrottle({
      maxFailures: config.SALES_AUTH_MAX_FAILURES,
      windowMs: config.SALES_AUTH_FAILURE_WINDOW_SECONDS * 1000,
    });
  }

  async authenticate(name: string, password: string, address: string): Promise<SalesUser> {
    const cached = this.cachedUser(name, password, address);
    if (cached) return cached;
    const key = credentialKey(name, password);
    const retryAfter = this.throttle.retryAfterSeconds(name, address);
    if (retryAfter > 0) throw new TooManyAttemptsException(retryAfter);
    return this.verifyOnce(key, name, password, address);
  }

  /**
   * The user of a credential verified within the cache lifetime, without waiting (re-checked in
   * the background near the end of it); undefined when it must be checked now.
   */
  cachedUser(name: string, password: string, address: string): SalesUser | undefined {
    const key = credentialKey(name, password);
    const cached = this.verified.get(key);
    const age = cached ? Date.now() - cached.verifiedAt : Infinity;
    if (!cached || age >= this.ttlMs) return undefined;
    if (age > this.ttlMs * REFRESH_AFTER) {
      this.refreshOnce(key, cached, name, password, address).catch(() => undefined);
    }
    return cached.user;
  }

  /** Keeps a cached credential whose stored hash and team are unchanged; otherwise checks it again. */
  private refreshOnce(
    key: string,
    cached: Verified,
    name: string,
    password: string,
    address: string,
  ): Promise<SalesUser> {
    return this.singleFlight(key, async () => {
      const stored = await this.credentials.find(name);
      if (stored?.passwordHash !== cached.user.credential || stored.team !== cached.user.team)
        return this.verify(key, name, password, address);
      cached.verifiedAt = Date.now();
      return cached.user;
    });
  }

  private verifyOnce(
    key: string,
    name: string,
    password: string,
    address: string,
  ): Promise<SalesUser> {
    return this.singleFlight(key, () => this.verify(key, name, password, address));
  }

  /** While a check or refresh of this credential runs, others wait for its result. */
  private singleFlight(key: string, check: () => Promise<SalesUser>): Promise<SalesUser> {
    let running = this.inFlight.get(key);
    if (!running) {
      running = check().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  private async verify(
    key: string,
    name: string,
    password: string,
    address: string,
  ): Promise<SalesUser> {
    const stored = await this.credentials.find(name);
    const valid = await verifyPassword(password, stored?.passwordHash ?? (await this.dummy()));
    if (!stored || !valid) {
      this.verified.delete(key);
      this.throttle.recordFailure(name, address);
      this.logger.warn({ user: name, address }, 'rejected API credentials');
      throw new UnauthorizedException('Unknown user or wrong password');
    }
    this.throttle.recordSuccess(name);
    const user: SalesUser = { name, team: stored.team, credential: stored.passwordHash };
    if (this.ttlMs > 0) {
      this.verified.delete(key);
      this.verified.set(key, { user, verifiedAt: Date.now() });
      if (this.verified.size > MAX_CACHED) this.verified.delete(this.verified.keys().next().value!);
    }
    return user;
  }

  /** A hash of a random password with the real parameters, made once. */
  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(credentialKey('dummy', String(Math.random())));
    return this.dummyHash;
  }
}
