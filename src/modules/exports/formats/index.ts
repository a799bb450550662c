// Every file a batch can be downloaded as (`GET /exports/{id}/files/{format}`).
import type { ExportFormat } from '../model.js'
import { brightpayAdditionsFormat } from './brightpay-additions-format.js'
import { brightpayFormat } from './brightpay-format.js'
import { csvFormat } from './csv-format.js'
import { irisFormat } from './iris-format.js'
import { jsonFormat } from './json-format.js'
import { sage50Format } from './sage50-format.js'
import { staffologyFormat } from './staffology-format.js'
import { xeroFormat } from './xero-format.js'

export const exportFormats: ExportFormat[] = [
  csvFormat, jsonFormat, sage50Format, brightpayFormat, brightpayAdditionsFormat, irisFormat, staffologyFormat, xeroFormat
]

/** The format with this exact name (as in the URL), or undefined. */
export function formatByName (name: string): ExportFormat | undefined {
  return exportFormats.find((format) => format.name === name)
}
