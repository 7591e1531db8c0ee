# The verifier's desk (issue 17): fraud signals, search and filters, peak alert, case notes,
# reopening a decision, per-verifier statistics, audit export. Console staff only.

## Fraud signals (hints for the verifier, never a rejection)
console-flag-shared_phone = Nomor HP ini dipakai untuk banyak NIK berbeda (periksa apakah wajar, mis. keluarga)
console-flag-short-shared_phone = HP banyak NIK
console-flag-same_selfie_photo = Foto selfie yang sama sudah dikirim untuk NIK lain
console-flag-short-same_selfie_photo = Selfie sama
console-flag-same_ktp_photo = Foto KTP yang sama (atau diambil persis sama) sudah dikirim untuk NIK lain
console-flag-short-same_ktp_photo = Foto KTP sama
console-flag-ktp_screen_photo = Foto KTP tampaknya difoto dari layar (pola piksel layar). Hanya petunjuk: periksa keasliannya
console-flag-short-ktp_screen_photo = Foto layar
