import { DynamicModule, Global, Module } from '@nestjs/common';
import { BANNER_SECRETS, ImportTokenGuard } from './import-token.guard';
import { BannerSecrets } from './secrets';

/** The import token(s) and cookie secret, resolved once per process, and the operators' guard. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(secrets: BannerSecrets): DynamicModule {
    return {
      module: AuthModule,
      providers: [{ provide: BANNER_SECRETS, useValue: secrets }, ImportTokenGuard],
      exports: [BANNER_SECRETS, ImportTokenGuard],
    };
  }
}
