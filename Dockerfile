# One image recipe for every app: docker build --build-arg APP=banner-api .
# The steps are the ones CI runs natively: npm ci, turbo build, then the app's own `npm start`.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG APP
RUN test -n "$APP" || (echo "Pass --build-arg APP=<pipeline|sales-db|dashboard|banner-api|ml|warehouse>" && exit 1)
WORKDIR /repo
COPY . .
RUN npm ci --no-fund --no-audit
RUN npx turbo run build --filter="@des/${APP}"
# Tests and test helpers (dist/**/*.test.*, dist/testing/) are not app code: not shipped.
RUN find "apps/${APP}/dist" \( -name '*.test.*' -o -type d -name testing \) -prune -exec rm -rf {} +
RUN npm prune --omit=dev --no-fund --no-audit

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    APP=${APP}
WORKDIR /repo
COPY --from=build --chown=node:node /repo/package.json /repo/package-lock.json /repo/turbo.json ./
COPY --from=build --chown=node:node /repo/node_modules ./node_modules
COPY --from=build --chown=node:node /repo/packages/shared ./packages/shared
COPY --from=build --chown=node:node /repo/apps/${APP} ./apps/${APP}
# Folders the apps write (pipeline batches, ml's fallback model, warehouse deliveries); a named
# volume mounted here starts with this ownership.
RUN mkdir -p /repo/data/applications /repo/data/warehouse /repo/.data && chown -R node:node /repo/data /repo/.data
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "exec npm start -w apps/${APP}"]
