# Telegram channel: bot command descriptions (shown in Telegram's command menu)
# and keyboard texts. Descriptions: at most 256 characters; placeholders: at most 64.
telegram-command-start = Mulai dan tampilkan menu utama
telegram-command-menu = Tampilkan menu utama
telegram-command-status = Cek status pendaftaran Tangerang LIVE
telegram-command-bantuan = Bantuan dan pertanyaan yang sering ditanyakan
telegram-command-batal = Batalkan langkah yang sedang berjalan

# The button that shares the citizen's own phone number with the bot.
telegram-share-phone = 📱 Kirim nomor HP saya
# Grey hint in the typing field while a keyboard is shown.
telegram-keyboard-placeholder = Ketuk pilihan atau ketik jawaban Bapak/Ibu
telegram-phone-placeholder = Ketuk tombol atau ketik nomor HP Bapak/Ibu
