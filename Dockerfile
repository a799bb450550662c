# syntax=docker/dockerfile:1
# Sessional Pay: production image. Build: docker build -t sessional-pay .
# Run:   docker run -e DATABASE_URL=postgres://user:pass@db:5432/pay -p 3000:3000 sessional-pay
# Migrations run at start (serialised across instances by an advisory lock).

FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# Full install (the postinstall step applies patches/ to node_modules), compile, then drop dev deps.
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json \
 && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM node:26-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    REQUIRE_DATABASE_URL=true
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
# The image's own unprivileged user; nothing under /app is writable by it.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]
