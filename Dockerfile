# The ICSSI Call Bot as a container: compiled once in a builder stage, run on plain Node with the
# production dependencies only. CI proves the same steps without Docker:
# scripts/production-check.ts (npm run check:production).
#
# Node 22 LTS (maintained until April 2027), pinned by exact version on Debian 12 (bookworm).
# For a reproducible image pin the digest too: `docker buildx imagetools inspect
# node:22.23.3-bookworm-slim` prints it; write FROM node:22.23.3-bookworm-slim@sha256:<digest>.
# The code also runs on Node 20.19+ (package.json "engines").
ARG NODE_IMAGE=node:22.23.3-bookworm-slim

# --- builder: every dependency, TypeScript compiled to dist/ ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles itself when no prebuilt binary can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The postinstall generates the Prisma clients from prisma/*/schema.prisma (the Prisma CLI is a
# development dependency); the build compiles them into dist/generated/.
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
RUN npm run build

# --- runtime: plain Node, production dependencies, non-root ---
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# prisma/ holds the migrations applied at start; scripts/ the postinstall (which, without the
# Prisma CLI, generates nothing: dist/generated/ is what runs).
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
# --omit=dev --legacy-peer-deps: without the development packages, nor the optional peers
# (the Prisma CLI, TypeScript) the lockfile holds for them. Build tools only for as long as
# npm ci may need them; DejaVu gives the Slack charts Arabic glyphs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ fonts-dejavu-core \
 && npm ci --omit=dev --legacy-peer-deps --no-audit --no-fund \
 && npm cache clean --force \
 && apt-get purge -y python3 make g++ \
 && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
COPY config ./config
COPY locales ./locales
# The organisers' desk: its page templates and its CSS and JS (src/desk/ reads them at start).
COPY desk ./desk
COPY --from=build /app/dist ./dist
COPY deploy/docker-entrypoint.sh /usr/local/bin/icssi-entrypoint
# data/: the SQLite database and data/secret.key (unless DATABASE_URL and ICSSI_SECRET are set);
# personal data, so the owner's only (a new named volume takes this folder's owner and mode).
RUN chmod 755 /usr/local/bin/icssi-entrypoint \
 && mkdir -p /app/data && chown node:node /app/data && chmod 700 /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# Liveness only: a database outage must not get the container killed (readiness is /readyz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# umask 077, then exec: Node is PID 1 and handles SIGTERM itself (/readyz turns 503, messages in
# progress finish, exit 0), from its first moment.
ENTRYPOINT ["icssi-entrypoint"]
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
