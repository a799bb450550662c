# syntax=docker/dockerfile:1
# Sessional Pay: production image. Build: docker build -t sessional-pay .
# Run:   docker run -e DATABASE_URL=postgres://user:pass@db:5432/pay -p 3000:3000 sessional-pay
# CLI:   docker run --rm -e DATABASE_URL=... sessional-pay node dist/cli.js migrate
# Migrations run at start (serialised across instances by an advisory lock).
# The Node version is the one CI's server pass runs on (.ci/run reads it from here; README, Node.js versions).
ARG NODE_VERSION=26.12.1

# Production dependencies only; the postinstall step (patch-package, a runtime dependency for
# this) applies patches/ to node_modules.
FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# The full install, to compile src/ to dist/.
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:${NODE_VERSION}-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    REQUIRE_DATABASE_URL=true
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
# The image's own unprivileged user; nothing under /app is writable by it.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1, with no npm or shell in between: the stop signal (SIGTERM) reaches the server itself.
CMD ["node", "dist/server.js"]
