# One image for the api, worker and migrate services (docker-compose.yml picks the command).
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# tsx runs the TypeScript at runtime and is a regular dependency, so dev dependencies stay out.
# `npm install` rather than `npm ci`: see .ci/run (optional packages missing from the lockfile).
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
USER node
EXPOSE 3000
CMD ["node_modules/.bin/tsx", "api/main.ts"]
