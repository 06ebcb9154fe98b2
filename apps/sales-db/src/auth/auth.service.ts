import { Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { SalesDbConfig } from '../config';
import { CredentialsRepository } from './credentials.repository';
import { credentialKey, verifyPassword } from './password';
import { SalesUser } from './teams';

/**
 * Checks HTTP Basic credentials against the scrypt hashes `add-user` stored. PostgreSQL's own
 * password check cannot be relied on (servers with trust auth accept any password). A verified
 * credential is cached briefly because scrypt is deliberately slow.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly verified = new Map<string, { user: SalesUser; until: number }>();

  constructor(
    private readonly credentials: CredentialsRepository,
    @Inject(APP_CONFIG) private readonly config: SalesDbConfig,
  ) {}

  async authenticate(name: string, password: string): Promise<SalesUser> {
    const key = credentialKey(name, password);
    const cached = this.verified.get(key);
    if (cached && cached.until > Date.now()) return cached.user;
    this.verified.delete(key);

    const stored = await this.credentials.find(name);
    if (!stored || !(await verifyPassword(password, stored.passwordHash))) {
      this.logger.warn({ user: name }, 'rejected API credentials');
      throw new UnauthorizedException('Unknown user or wrong password');
    }
    const user: SalesUser = { name, team: stored.team };
    this.verified.set(key, {
      user,
      until: Date.now() + this.config.SALES_AUTH_CACHE_SECONDS * 1000,
    });
    return user;
  }
}
