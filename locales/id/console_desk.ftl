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

## Search and filters on the queue
console-search-label = Cari
console-search-placeholder = Nomor pendaftaran, NIK, nomor HP atau nama lengkap
console-search-count = { $count ->
        [0] Tidak ada permintaan untuk “{ $query }”.
       *[other] { $count } permintaan untuk “{ $query }”.
    }
console-search-help = NIK dan nomor HP harus diketik lengkap; nama harus lengkap seperti di permintaan (huruf besar/kecil dan tanda baca tidak berpengaruh). Data pribadi hanya dicari lewat sidik kuncinya, tidak pernah disimpan terbuka.
console-filter-flag = Tanda
console-filter-flag-duplicate_nik = NIK ganda
console-filter-flag-shared_phone = HP dipakai banyak NIK
console-filter-flag-same_selfie_photo = Selfie sama dengan NIK lain
console-filter-flag-same_ktp_photo = Foto KTP sama dengan NIK lain
console-filter-flag-ktp_screen_photo = Foto KTP dari layar
console-filter-flag-face_mismatch = Wajah berbeda
console-filter-flag-ocr_nik_mismatch = NIK di foto beda
console-filter-flag-birth_date_mismatch = Tgl lahir beda
console-filter-flag-nik_outside_city = NIK luar kota
console-filter-flag-helper = Dibantu keluarga
console-filter-due = Batas waktu
console-filter-due-overdue = Lewat batas waktu
console-filter-due-soon = Jatuh tempo dalam { $hours } jam
console-sla-due-soon = segera: sisa { $time }

## Home tiles that open the filtered queue
console-home-due-soon = Jatuh tempo dalam { $hours } jam
console-home-flagged = Menunggu dengan tanda kecurangan/ganda
console-home-tile-open = Buka daftarnya

## Peak mode (supervisors: admins)
console-peak-title = Mode puncak: antrean tidak akan selesai sebelum batas waktunya
console-peak-body = { $waiting } permintaan menunggu. Dengan kecepatan { $rate } keputusan per jam (beberapa jam terakhir), { $miss } permintaan akan lewat batas waktu, yang pertama { $first }. Dibutuhkan sekitar { $needed } keputusan per jam.
console-peak-hint = Tambah petugas verifikasi atau jam kerja. Warga yang mengecek status diberi tahu dengan jujur bahwa pemeriksaan bisa lebih lama.
console-filter-flag-fraud = Semua tanda ganda/kecurangan
