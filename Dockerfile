# syntax=docker/dockerfile:1
# Build: docker build -t goalbot .
# Run:   docker run -d --name goalbot -v goalbot-data:/data \
#          -e SLACK_BOT_TOKEN=xoxb-... -e SLACK_APP_TOKEN=xapp-... goalbot

# Go 1.27.3, go.mod's toolchain line (the image sets GOTOOLCHAIN=local, which
# ignores that line): older releases have known standard-library
# vulnerabilities. CI builds with the same release and runs scripts/vulncheck
# on that binary.
FROM golang:1.27.3-bookworm AS build
# gcc and the C library headers are in the image: go-sqlite3 needs cgo.
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# A static cgo binary, so the runtime image needs no C library. The same
# command is scripts/build-static, which CI runs.
RUN VERSION=${VERSION} OUT=/out/goalbot ./scripts/build-static

FROM alpine:3.20
RUN apk add --no-cache ca-certificates tzdata \
 && addgroup -S goalbot && adduser -S -G goalbot -h /data goalbot \
 && mkdir -p /data && chown goalbot:goalbot /data
COPY --from=build /out/goalbot /usr/local/bin/goalbot
USER goalbot
WORKDIR /data
VOLUME ["/data"]
ENV GOALBOT_DB=/data/goalbot.db
ENTRYPOINT ["goalbot"]
CMD ["run"]
