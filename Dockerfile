# The ICSSI Call Bot as a container: compiled once in a builder stage, run on plain Node with the
# production dependencies only. CI proves the same steps without Docker:
# scripts/production-check.ts (npm run check:production).

# --- builder: every dependency, TypeScript compiled to dist/ ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles itself when no prebuilt binary can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The postinstall generates the Prisma clients from prisma/*/schema.prisma.
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
RUN npm run build

# --- runtime: plain Node, production dependencies, non-root ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
# Build tools only for as long as npm ci may need them; DejaVu gives the Slack charts Arabic glyphs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ fonts-dejavu-core \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && apt-get purge -y python3 make g++ \
 && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
COPY config ./config
COPY locales ./locales
# The organisers' desk: its page templates and its CSS and JS (src/desk/ reads them at start).
COPY desk ./desk
COPY --from=build /app/dist ./dist
# data/: the SQLite database and data/secret.key (unless DATABASE_URL and ICSSI_SECRET are set).
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# Liveness only: a database outage must not get the container killed (readiness is /readyz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself: /readyz turns 503, messages in progress finish, exit 0.
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
