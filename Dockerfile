# syntax=docker/dockerfile:1
# One image for every Mebel service; the command names which one runs:
#   docker run --env-file mebel.env mebel warehouse
# See docs/deploy.md for the settings each service needs.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    MEBEL_SERVICE=all
WORKDIR /app

# Manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY adapters/contract/package.json adapters/contract/
COPY adapters/eventstoredb/package.json adapters/eventstoredb/
COPY adapters/http/package.json adapters/http/
COPY adapters/memory/package.json adapters/memory/
COPY adapters/postgres/package.json adapters/postgres/
COPY apps/catalog/package.json apps/catalog/
COPY apps/cli/package.json apps/cli/
COPY apps/delivery/package.json apps/delivery/
COPY apps/demo/package.json apps/demo/
COPY apps/main/package.json apps/main/
COPY apps/runtime/package.json apps/runtime/
COPY apps/site/package.json apps/site/
COPY apps/warehouse/package.json apps/warehouse/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY tsconfig.base.json ./
COPY core core
COPY adapters adapters
COPY apps apps

# The site's signing key lives in /keys (a volume), readable by the service alone.
RUN mkdir -p /keys && chown node:node /keys && chmod 700 /keys

# The files belong to root and are read-only to the service, which runs as node.
USER node
EXPOSE 3000 3001 3002 3003

HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "--conditions=source", "--import", "tsx", "apps/main/src/healthcheck.ts"]

# SIGTERM reaches node directly (exec form): it drains HTTP, stops subscribers, releases locks.
ENTRYPOINT ["node", "--conditions=source", "--import", "tsx", "apps/main/src/main.ts"]
CMD ["all"]
