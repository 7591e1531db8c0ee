# The review screen (issue 17): the typed data next to what the KTP photo says, and the
# decision bar. Console staff only.
console-review-compare = Diketik warga dan isi foto KTP
console-review-col-field = Data
console-review-col-typed = Diketik warga
console-review-col-read = Di foto KTP
console-review-same = sama
console-review-different = beda
console-review-unread = belum terbaca
console-review-nik-diff = beda di digit ke-{ $positions }
console-review-nik-length = jumlah digit beda: { $typed } diketik, { $read } terbaca
console-review-nik-same = semua digit sama
console-review-nik-read-label = NIK terbaca di foto KTP: { $digits }. { $verdict }
console-review-nik-typed-label = NIK diketik warga: { $digits }
console-review-other-data = Data lain
console-review-faces = Wajah berdampingan, ukuran sama
console-review-photo-keys = Roda mouse, klik atau + −: perbesar · seret atau panah: geser · O: putar · 0: ukuran asli
console-review-keys-hint = A lalu Enter: setujui · 1–7 (atau R lalu 1–7) lalu Enter: tolak · N: lewati · Esc: batal · + − O 0: foto KTP
console-review-reject-with = Tolak karena
console-review-more-others = dan { $count } lainnya (lihat Daftar Verifikasi)
