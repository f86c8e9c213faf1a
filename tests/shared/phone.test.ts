import { describe, expect, it } from 'vitest'
import { checkPhone, phoneSearchKey } from '../../src/shared/phone'

describe('checkPhone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['008613800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['19912345678', '19912345678'],
  ])('accepts the mobile %s as %s', (input, normalized) => {
    expect(checkPhone(input)).toEqual({ status: 'mobile', normalized, key: normalized })
  })

  it.each([
    ['010-12345678', '010-12345678', '01012345678'],
    ['01012345678', '010-12345678', '01012345678'],
    ['(010) 1234 5678', '010-12345678', '01012345678'],
    ['（０１０）１２３４５６７８', '010-12345678', '01012345678'],
    ['021-6123 4567', '021-61234567', '02161234567'],
    ['0755-1234567', '0755-1234567', '07551234567'],
    ['07551234567', '0755-1234567', '07551234567'],
    ['0571-87654321', '0571-87654321', '057187654321'],
    ['010-12345678-801', '010-12345678-801', '01012345678'],
    ['010-12345678转801', '010-12345678-801', '01012345678'],
    ['0755 1234567 ext 23', '0755-1234567-23', '07551234567'],
    ['010-12345678#6', '010-12345678-6', '01012345678'],
    ['+86 10 1234 5678', '010-12345678', '01012345678'],
    ['+86-755-1234567', '0755-1234567', '07551234567'],
  ])('accepts the landline %s as %s', (input, normalized, key) => {
    expect(checkPhone(input)).toEqual({ status: 'landline', normalized, key })
  })

  it.each(['withheld', 'Withheld', '未显示', '号码未显示', '隐藏号码', '无来电显示', ' Number withheld '])('knows "%s" means the number was withheld', (input) => {
    expect(checkPhone(input)).toEqual({ status: 'withheld', normalized: '', key: '' })
  })

  it('says an empty field is empty, not wrong', () => {
    expect(checkPhone('  ')).toEqual({ status: 'empty', normalized: '', key: '' })
  })

  it.each([
    ['1380013800', 'mobile'], // 10 digits
    ['138001380001', 'mobile'], // 12 digits
    ['12800138000', 'mobile'], // 12x is not a mobile range
    ['11012345678', 'mobile'],
    ['62345678', 'areaCode'], // a local number without its area code
    ['1234567', 'mobile'],
    ['010-1234', 'areaCode'],
    ['0000-12345678', 'areaCode'],
    ['010-02345678', 'areaCode'], // local numbers never start with 0
    ['010-12345678-1234567', 'areaCode'],
    ['13800138000转8', 'mobile'],
    ['王先生', 'format'],
    ['138abc00138', 'format'],
    ['+1 415 555 0100', 'format'],
  ])('marks %s unverified (%s), keeping what was typed', (input, problem) => {
    const result = checkPhone(input)
    expect(result.status).toBe('unverified')
    expect(result.problem).toBe(problem)
    expect(result.normalized).toBe(input.normalize('NFKC').trim())
  })
})

describe('phoneSearchKey', () => {
  it('searches on digits, whatever the separators', () => {
    expect(phoneSearchKey('138 0013')).toBe('1380013')
    expect(phoneSearchKey('010-1234')).toBe('0101234')
    expect(phoneSearchKey('+86 138')).toBe('138')
  })
})
