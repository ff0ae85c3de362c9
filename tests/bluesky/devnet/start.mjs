// Starts a local Bluesky network (PLC directory + PDS, no AppView) for Stormwatch's tests.
//
// Prints one JSON line on stdout once the network is up:
//   {"pds_url": "http://localhost:PORT", "firehose_url": "ws://localhost:PORT/xrpc", ...}
// and stops when stdin closes (the parent test process went away) or on SIGTERM / SIGINT.
// State lives under BSKY_DEVNET_DATA_DIR (or a fresh temporary folder), removed on exit.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { TestNetworkNoAppView } from '@atproto/dev-env'

const owned = !process.env.BSKY_DEVNET_DATA_DIR
const dataDir = process.env.BSKY_DEVNET_DATA_DIR
  ? path.resolve(process.env.BSKY_DEVNET_DATA_DIR)
  : await fs.mkdtemp(path.join(os.tmpdir(), 'stormwatch-bsky-'))
await fs.mkdir(path.join(dataDir, 'pds'), { recursive: true })

const network = await TestNetworkNoAppView.create({
  pds: {
    dataDirectory: path.join(dataDir, 'pds'),
    blobstoreDiskLocation: path.join(dataDir, 'blobs'),
  },
})

let stopping = false
async function stop(code) {
  if (stopping) return
  stopping = true
  try {
    await network.close()
  } catch (err) {
    console.error('devnet: error while closing', err)
  }
  if (owned) await fs.rm(dataDir, { recursive: true, force: true })
  process.exit(code)
}

process.on('SIGTERM', () => stop(0))
process.on('SIGINT', () => stop(0))
process.stdin.on('end', () => stop(0))
process.stdin.on('close', () => stop(0))
process.stdin.resume()

const pdsUrl = network.pds.url
process.stdout.write(
  JSON.stringify({
    pds_url: pdsUrl,
    firehose_url: pdsUrl.replace(/^http/, 'ws') + '/xrpc',
    subscribe_repos: pdsUrl.replace(/^http/, 'ws') + '/xrpc/com.atproto.sync.subscribeRepos',
    plc_url: network.plc.url,
    handle_domain: '.test',
    data_dir: dataDir,
  }) + '\n',
)
