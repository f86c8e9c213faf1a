import { AttachmentError, MAX_ATTACHMENT_BYTES } from '../../shared/attachments'

/**
 * Photos and signatures made ready to keep as attachments: small enough for the tablet's storage
 * and the upload (MAX_ATTACHMENT_BYTES each), in a type the server accepts.
 */

/** The longest edge a photo keeps: enough to read a label or a face on a tablet's screen. */
export const PHOTO_MAX_EDGE_PX = 1600
/** JPEG qualities tried in turn at one size before the size is reduced. */
export const PHOTO_QUALITIES = [0.82, 0.72, 0.62, 0.5] as const
/** Each size after the first is this much of the one before. */
export const PHOTO_SHRINK = 0.75
/** Below this longest edge a photo shows too little to be worth keeping: give up instead. */
export const PHOTO_MIN_EDGE_PX = 400

export interface DownscaleOptions {
  /** @default PHOTO_MAX_EDGE_PX */
  maxEdge?: number
  /** @default MAX_ATTACHMENT_BYTES */
  maxBytes?: number
}

export interface EncodeStep {
  width: number
  height: number
  quality: number
}

/** The size that fits `maxEdge` on the longest edge, keeping the aspect ratio; never enlarged. */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/**
 * The encodings to try, best first: every quality at the fitted size, then the same at smaller
 * sizes, down to PHOTO_MIN_EDGE_PX (or the image's own size when it is smaller than that).
 */
export function encodeSteps(width: number, height: number, maxEdge = PHOTO_MAX_EDGE_PX): EncodeStep[] {
  const steps: EncodeStep[] = []
  let size = fitWithin(width, height, maxEdge)
  const floor = Math.min(PHOTO_MIN_EDGE_PX, Math.max(size.width, size.height))
  for (;;) {
    for (const quality of PHOTO_QUALITIES) steps.push({ ...size, quality })
    const edge = Math.max(size.width, size.height)
    const next = Math.round(edge * PHOTO_SHRINK)
    if (next < floor) return steps
    size = fitWithin(width, height, next)
  }
}

type AnyCanvas = HTMLCanvasElement | OffscreenCanvas

function makeCanvas(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height)
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  return canvas
}

function encode(canvas: AnyCanvas, type: 'image/jpeg' | 'image/png', quality?: number): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality })
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`the browser could not encode ${type}`))), type, quality)
  })
}

/**
 * A camera photo or picked image as a JPEG that fits: decoded upright (EXIF orientation applied),
 * the longest edge at most 1600 px, then the quality and, if need be, the size lowered until it
 * is at most MAX_ATTACHMENT_BYTES. Always re-encoded, even when small: that also drops the
 * camera's metadata (GPS position, device), which a register entry has no business keeping.
 * Throws an AttachmentError `unsupportedType` when the browser cannot decode the file, `tooBig`
 * when even the smallest step does not fit.
 */
export async function downscalePhoto(file: Blob, options: DownscaleOptions = {}): Promise<Blob> {
  const maxBytes = options.maxBytes ?? MAX_ATTACHMENT_BYTES
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch (error) {
    throw new AttachmentError('unsupportedType', `the browser cannot read this image: ${error instanceof Error ? error.message : String(error)}`)
  }
  try {
    let drawn: { canvas: AnyCanvas; width: number; height: number } | undefined
    for (const step of encodeSteps(bitmap.width, bitmap.height, options.maxEdge ?? PHOTO_MAX_EDGE_PX)) {
      if (!drawn || drawn.width !== step.width || drawn.height !== step.height) {
        const canvas = makeCanvas(step.width, step.height)
        const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null
        if (!context) throw new Error('no 2D canvas in this browser')
        // JPEG has no transparency: a transparent PNG would turn black without a white ground.
        context.fillStyle = '#fff'
        context.fillRect(0, 0, step.width, step.height)
        context.imageSmoothingQuality = 'high'
        context.drawImage(bitmap, 0, 0, step.width, step.height)
        drawn = { canvas, width: step.width, height: step.height }
      }
      const blob = await encode(drawn.canvas, 'image/jpeg', step.quality)
      if (blob.size <= maxBytes) return blob
    }
  } finally {
    bitmap.close()
  }
  throw new AttachmentError('tooBig', `the photo does not fit in ${maxBytes} bytes even at ${PHOTO_MIN_EDGE_PX} px`)
}

/** A drawn signature as a PNG (lossless: thin strokes stay sharp, and PNG of line art is small). */
export function canvasToPngBlob(canvas: AnyCanvas): Promise<Blob> {
  return encode(canvas, 'image/png')
}
