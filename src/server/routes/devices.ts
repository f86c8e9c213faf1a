import type { FastifyInstance } from 'fastify'
import { EnrollRequestSchema, type EnrollResponse } from '../../shared/sync'
import { ApiHttpError, parseBody } from '../errors'
import type { Store } from '../store'
import { enrollmentCodeMatches, hashToken, newDeviceToken } from '../tokens'

export async function deviceRoutes(app: FastifyInstance, { store, now }: { store: Store; now: () => Date }): Promise<void> {
  app.post('/api/devices/enroll', async (request, reply): Promise<EnrollResponse> => {
    const body = parseBody(EnrollRequestSchema, request.body)
    if (`${body.siteName}${body.deviceName}`.includes('\u0000')) {
      throw new ApiHttpError(400, 'bad_request', 'Names must not contain NUL characters')
    }
    const code = await store.getOrCreateEnrollmentCode()
    if (!enrollmentCodeMatches(body.enrollmentCode, code)) {
      throw new ApiHttpError(403, 'enrollment_refused', 'The enrollment code is wrong')
    }
    const token = newDeviceToken()
    const { site, device } = await store.enrollDevice({
      siteName: body.siteName,
      deviceName: body.deviceName,
      tokenHash: hashToken(token),
      now: now().toISOString(),
    })
    request.log.info({ siteId: site.id, deviceId: device.id }, 'device enrolled')
    reply.code(201)
    return { deviceId: device.id, deviceName: device.name, siteId: site.id, siteName: site.name, token }
  })
}
