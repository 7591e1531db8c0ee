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
console-filter-flag-duplicate_nik = NIK sama di permintaan lain
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

## Case notes and reopening a decision (_review_notes.html)
console-notes-title = Catatan internal
console-notes-intro = Hanya untuk petugas; tidak pernah dikirim ke warga. Disimpan terenkripsi.
console-notes-empty = Belum ada catatan.
console-notes-add-label = Tambah catatan
console-notes-add = Simpan catatan
console-notes-added = Catatan disimpan.
console-reopen-title = Buka kembali keputusan
console-reopen-intro = Keputusan ini bisa dibuka kembali sampai { $until }. Permintaan kembali menunggu verifikasi dan warga diberi tahu.
console-reopen-reason = Alasan (disimpan sebagai catatan internal)
console-reopen-button = Buka kembali keputusan
console-reopen-done = Keputusan { $reference } dibuka kembali; warga sudah diberi tahu.
console-reopened-info = Keputusan sebelumnya ({ $status }, oleh { $by }) sudah dibuka kembali oleh supervisor.
console-error-not_found = Permintaan tidak ditemukan.
console-error-note_empty = Catatan masih kosong.
console-error-note_too_long = Catatan terlalu panjang (paling banyak 1000 karakter).
console-error-not_decided = Permintaan ini belum diputuskan, jadi tidak ada yang dibuka kembali.
console-error-reopen_window_passed = Batas waktu untuk membuka kembali keputusan ini ({ $hours } jam) sudah lewat.
console-error-reason_required = Tulis alasan membuka kembali keputusan.
console-error-not_supervisor = Hanya supervisor (admin) yang boleh membuka kembali keputusan.

## Audit log: filter by reference, export
console-audit-reference = Nomor pendaftaran
console-audit-export = Unduh CSV
console-audit-export-hint = Sesuai saringan di atas (paling banyak 100.000 baris), dipisah titik koma untuk Excel.
console-audit-col-actor-type = Jenis pelaku
console-action-registration-noted = Catatan internal ditambahkan
console-action-registration-reopened = Keputusan dibuka kembali
console-action-audit-exported = Log diunduh

## Rekapitulasi: who decided
console-report-section-decider = Per petugas verifikasi
console-report-col-decider = Petugas
console-report-col-decided = Diputuskan
console-report-row-decided_by = Diputuskan oleh
console-report-decider-intro = Keputusan atas permintaan yang diajukan dalam rentang ini, per petugas (atau token API): berapa, disetujui/ditolak, berapa jam sejak diajukan, dan berapa lewat batas waktu.
console-report-decider-empty = Belum ada keputusan atas permintaan dalam rentang ini.
console-action-registration-notes_viewed = Catatan internal dibaca (API)
