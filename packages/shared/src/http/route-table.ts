import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { BODY_LIMIT } from './body-limit.decorator';

/** What the front door needs to know of a route before Nest's router sees the request. */
export interface RouteFacts {
  method: string;
  path: string;
  /** Whether the handler reads a `@Body()`, so its body must be JSON. */
  takesJson: boolean;
  bodyLimit?: number;
}

export interface RouteTable {
  routes: RouteFacts[];
  /** The route a request's method and path (no query) land on, if any. */
  match(method: string, path: string): RouteFacts | undefined;
}

const asArray = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined ? [''] : [String(value)];

const joinPath = (...parts: string[]): string =>
  '/' +
  parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/');

/** `/items/:id` → a regular expression matching `/items/42` (wildcards match the rest). */
function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) =>
      segment.startsWith(':')
        ? '[^/]+'
        : segment.startsWith('*')
          ? '.*'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source || '/'}/?$`);
}

/**
 * Every controller route of the app, read from Nest's metadata once the modules exist (after
 * `NestFactory.create`, before `init`), so middleware that runs before routing (body parsing)
 * can apply a route's own rules.
 */
export function routeTableOf(app: INestApplication): RouteTable {
  const routes: RouteFacts[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller?.prototype) continue;
      const prefixes = asArray(Reflect.getMetadata(PATH_METADATA, controller));
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as object;
        const takesJson = Object.keys(args).some((key) =>
          key.startsWith(`${RouteParamtypes.BODY}:`),
        );
        const bodyLimit = Reflect.getMetadata(BODY_LIMIT, handler) as number | undefined;
        for (const prefix of prefixes) {
          for (const own of asArray(Reflect.getMetadata(PATH_METADATA, handler))) {
            routes.push({
              method: RequestMethod[method],
              path: joinPath(prefix, own),
              takesJson,
              bodyLimit,
            });
          }
        }
      }
    }
  }
  const compiled = routes.map((route) => ({ route, pattern: pathPattern(route.path) }));
  return {
    routes,
    match: (method, path) =>
      compiled.find(
        ({ route, pattern }) =>
          (route.method === method || route.method === 'ALL') && pattern.test(path),
      )?.route,
  };
}
