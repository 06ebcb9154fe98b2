import { DynamicModule, Global, Module } from '@nestjs/common';

/** Injection token of an app's validated configuration: `@Inject(APP_CONFIG) config: MyConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Makes the configuration, validated once at start-up, injectable everywhere in the app. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: object): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
